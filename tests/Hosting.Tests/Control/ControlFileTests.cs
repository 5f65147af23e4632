using LogisticsSync.Hosting.Control;

namespace LogisticsSync.Hosting.Tests.Control;

public sealed class ControlFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("control-file-tests-");

    [Fact]
    public void Read_NoFile_ReturnsNull()
    {
        Assert.Null(ControlFile.Read(_folder.FullName));
    }

    [Fact]
    public async Task ReadAsync_NoFile_ReturnsNull()
    {
        Assert.Null(await ControlFile.ReadAsync(_folder.FullName, CancellationToken.None));
    }

    [Fact]
    public void Read_WrittenByTheEngine_RoundTripsUrlTokenAndPid()
    {
        new ControlFile(new Uri("http://127.0.0.1:18888/"), "t0ken", 4242).WriteTo(_folder.FullName);

        var control = ControlFile.Read(_folder.FullName);

        Assert.Equal(new ControlFile(new Uri("http://127.0.0.1:18888/"), "t0ken", 4242), control);
        // The token opens the control API: owner-only.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ControlFile.PathIn(_folder.FullName)));
    }

    [Fact]
    public async Task ReadAsync_GoodFileWithoutPid_ReturnsUrlAndToken()
    {
        await File.WriteAllTextAsync(ControlFile.PathIn(_folder.FullName), """{"url":"http://127.0.0.1:5000/","token":"t"}""");

        var control = await ControlFile.ReadAsync(_folder.FullName, CancellationToken.None);

        Assert.Equal(new ControlFile(new Uri("http://127.0.0.1:5000/"), "t"), control);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"url":"http://127.0.0.1:5000/","tok""")]
    [InlineData("not json")]
    public void Read_NotJson_ThrowsNamingTheFile(string text)
    {
        File.WriteAllText(ControlFile.PathIn(_folder.FullName), text);

        var exception = Assert.Throws<ControlFileException>(() => ControlFile.Read(_folder.FullName));

        Assert.Equal(ControlFile.PathIn(_folder.FullName), exception.FilePath);
        Assert.StartsWith($"{ControlFile.PathIn(_folder.FullName)} is not a control file (", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"token":"t"}""")]
    [InlineData("""{"url":"http://127.0.0.1:5000/"}""")]
    [InlineData("""{"url":"not a url","token":"t"}""")]
    [InlineData("""{"url":42,"token":"t"}""")]
    [InlineData("""["http://127.0.0.1:5000/","t"]""")]
    public async Task ReadAsync_JsonWithoutUrlOrToken_ThrowsNamingTheFile(string text)
    {
        await File.WriteAllTextAsync(ControlFile.PathIn(_folder.FullName), text);

        var exception = await Assert.ThrowsAsync<ControlFileException>(() => ControlFile.ReadAsync(_folder.FullName, CancellationToken.None));

        Assert.Contains(ControlFile.PathIn(_folder.FullName), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateClient_SendsTheTokenAsBearerToTheUrl()
    {
        using var client = new ControlFile(new Uri("http://127.0.0.1:5000/"), "t0ken").CreateClient(TimeSpan.FromSeconds(7));

        Assert.Equal(new Uri("http://127.0.0.1:5000/"), client.BaseAddress);
        Assert.Equal("Bearer", client.DefaultRequestHeaders.Authorization?.Scheme);
        Assert.Equal("t0ken", client.DefaultRequestHeaders.Authorization?.Parameter);
        Assert.Equal(TimeSpan.FromSeconds(7), client.Timeout);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
