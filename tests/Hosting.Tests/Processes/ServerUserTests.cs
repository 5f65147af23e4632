using LogisticsSync.Hosting.Processes;

namespace LogisticsSync.Hosting.Tests.Processes;

public sealed class ServerUserTests : IDisposable
{
    // CI and these machines run as root, as the engine must when it hands PostgreSQL its folders.
    private const uint Nobody = 65534;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("server-user-tests-");

    [Fact]
    public void ChownRecursive_ALinkToAnotherFolderInside_NeitherFollowedNorItsTargetGivenAway()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_folder.FullName, "etc"));
        var precious = Path.Combine(outside.FullName, "shadow");
        File.WriteAllText(precious, "root's");
        var data = Directory.CreateDirectory(Path.Combine(_folder.FullName, "data"));
        File.WriteAllText(Path.Combine(data.FullName, "PG_VERSION"), "15");
        Directory.CreateSymbolicLink(Path.Combine(data.FullName, "planted"), outside.FullName);

        ServerUser.ChownRecursive(data.FullName, Nobody, Nobody);

        Assert.Equal(0, Owner(precious));
        Assert.Equal(0, Owner(outside.FullName));
        Assert.Equal((int)Nobody, Owner(Path.Combine(data.FullName, "PG_VERSION")));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static int Owner(string path) => int.Parse(
        System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u", path]) { RedirectStandardOutput = true })!
            .StandardOutput.ReadToEnd().Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
