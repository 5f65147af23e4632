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

    public static void ChownRecursive(string path, uint uid, uint gid)
    {
        Posix.Chown(path, uid, gid);
        if (Directory.Exists(path))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories))
            {
                Posix.Chown(entry, uid, gid);
            }
        }
    }
}
