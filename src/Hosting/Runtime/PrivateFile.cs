namespace LogisticsSync.Hosting.Runtime;

/// <summary>Files holding passwords or tokens: created readable by the owner only, never world-readable for a moment.</summary>
internal static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Replaces whatever is at the path, a symbolic link included, with a new file only the owner can read; never
    /// writes through a link (the folder may belong to a server's user, who could plant one). Readers see the
    /// old file or the new one, never a half-written one: the content goes to a new name that is renamed over.
    /// </summary>
    public static void Write(string path, string content)
    {
        var temporary = $"{path}.{Secrets.Generate(8)}.tmp";
        // CreateNew is O_CREAT|O_EXCL: it fails rather than follow a link someone put at the temporary name.
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
