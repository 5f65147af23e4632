using System.Diagnostics;

namespace LogisticsSync.LoadRunner.Baselines;

/// <summary>Runs a benchmark tool of the OS to completion and hands back what it printed.</summary>
internal static class ExternalTool
{
    public static async Task<string> RunAsync(string binary, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {binary}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{Path.GetFileName(binary)} failed ({process.ExitCode}): {await output}{await errors}");
    }

    /// <summary>The tool's path, or null with the Debian package to install named by the caller.</summary>
    public static string? Find(params string[] candidates) => candidates.FirstOrDefault(File.Exists);
}
