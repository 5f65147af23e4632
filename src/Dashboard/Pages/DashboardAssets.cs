using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace LogisticsSync.Dashboard.Pages;

/// <summary>The stylesheet and script, embedded in the dashboard assembly: the machine is offline, no CDN.</summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string MediaType)> Assets = Load();

    public static IResult Serve(string file) =>
        Assets.TryGetValue(file, out var asset)
            ? Results.Bytes(asset.Content, asset.MediaType)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such asset", detail: $"'{file}' is not one of the dashboard's files.");

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        const string prefix = "Dashboard.Assets.";
        var assembly = typeof(DashboardAssets).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[prefix.Length..], n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var mediaType = Path.GetExtension(n) switch
                {
                    ".css" => "text/css; charset=utf-8",
                    ".js" => "text/javascript; charset=utf-8",
                    ".svg" => "image/svg+xml",
                    _ => "application/octet-stream",
                };
                return (copy.ToArray(), mediaType);
            });
    }
}
