using System.Globalization;

namespace LogisticsSync.Hosting.Processes;

/// <summary>A system account a server runs as (PostgreSQL's <c>postgres</c>), read from /etc/passwd.</summary>
internal sealed record ServerUser(string Name, uint Uid, uint Gid)
{
    public static ServerUser Lookup(string name)
    {
        var fields = File.ReadLines("/etc/passwd")
            .Select(line => line.Split(':'))
            .FirstOrDefault(f => f.Length > 3 && f[0] == name)
            ?? throw new InvalidOperationException($"User '{name}' does not exist; it comes with the Debian package (apt-get install -y postgresql).");
        return new ServerUser(name, uint.Parse(fields[2], CultureInfo.InvariantCulture), uint.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Gives a folder and everything in it to the user, without following a symbolic link anywhere: the folder is
    /// the server user's, who could plant a link to /etc in it, and root must not hand /etc over (lchown changes
    /// the link itself, and the walk never descends into one).
    /// </summary>
    public static void ChownRecursive(string path, uint uid, uint gid)
    {
        Posix.Chown(path, uid, gid);
        var info = new DirectoryInfo(path);
        if (!info.Exists || info.LinkTarget is not null)
        {
            return;
        }

        foreach (var entry in info.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                ChownRecursive(entry.FullName, uid, gid);
            }
            else
            {
                Posix.Chown(entry.FullName, uid, gid);
            }
        }
    }
}
