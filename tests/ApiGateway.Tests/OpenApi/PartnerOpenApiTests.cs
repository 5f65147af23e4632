using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using Xunit.Abstractions;

namespace LogisticsSync.ApiGateway.Tests.OpenApi;

/// <summary>The partner-facing OpenAPI document the gateway serves per version, and Redocly's recommended rules over it.</summary>
[Collection(GatewayEstateCollection.Name)]
public sealed class PartnerOpenApiTests(GatewayEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    /// <summary>Pinned: the version known to install here (2.77.0; 1.34.21 does not).</summary>
    private const string RedoclyCli = "@redocly/cli@2.77.0";
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Document_PerVersion_HasTheApiKeySchemeTheGatewayAsServerAndEdgeProblems(string version)
    {
        using var anonymous = estate.Gateway(apiKey: null);

        var document = await anonymous.GetFromJsonAsync<JsonElement>($"/api/{version}/openapi.json");

        Assert.Equal(anonymous.BaseAddress!.ToString().TrimEnd('/'), document.GetProperty("servers")[0].GetProperty("url").GetString());
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().ToList();
        Assert.Contains(paths, path => path.Name == $"/api/{version}/shipments");
        Assert.Contains(paths, path => path.Name == "/webhooks/carriers/{carrierId}");
        Assert.All(paths, path => Assert.True(path.Name.StartsWith($"/api/{version}/", StringComparison.Ordinal) || path.Name.StartsWith("/webhooks/", StringComparison.Ordinal), path.Name));
        foreach (var operation in paths.SelectMany(path => path.Value.EnumerateObject()))
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()));
            Assert.True(operation.Value.GetProperty("responses").TryGetProperty("401", out _));
        }
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Document_LintedWithRedoclyRecommended_HasNoErrors(string version)
    {
        if (FindOnPath("npx") is not { } npx)
        {
            output.WriteLine("SKIPPED: npm/npx is not installed, so the OpenAPI lint (@redocly/cli) cannot run here.");
            return;
        }

        using var anonymous = estate.Gateway(apiKey: null);
        var file = Path.Combine(Path.GetTempPath(), $"partner-openapi-{version}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await anonymous.GetStringAsync($"/api/{version}/openapi.json"));
        try
        {
            var (exitCode, text) = await RunAsync(npx, "--yes", RedoclyCli, "lint", "--format=stylish", file);
            output.WriteLine(text);
            Assert.True(exitCode == 0, $"redocly lint found errors (exit {exitCode}):\n{text}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        // No telemetry and no update check from the linter: a test run talks to the registry only to install it once.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => _logs.Dispose();
}
