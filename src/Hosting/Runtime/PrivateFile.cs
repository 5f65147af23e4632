namespace LogisticsSync.Hosting.Runtime;

/// <summary>Files holding passwords or tokens: created readable by the owner only, never world-readable for a moment.</summary>
internal static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Write(string path, string content)
    {
        // A file that exists keeps its mode on open: take it down to owner-only before writing.
        if (File.Exists(path))
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }

        using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
