using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Infrastructure;
using LogisticsSync.Hosting.Model;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>
/// The estate's state folder: held exclusively while the estate runs, wiped by <c>--fresh</c>, deleted after
/// a test, and the home of <c>control.json</c> that tools and tests find the running estate by.
/// </summary>
internal sealed class StateFolder(EstateOptions options, IReadOnlyList<Resource> resources, EstateContext context) : IDisposable
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Others may pass through (PostgreSQL's user reaches its own 0700 data folder) but not list it.</summary>
    private const UnixFileMode Traversable = OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const string LockFileName = "estate.lock";
    private FileStream? _lock;

    public string Path => options.StateDirectory;

    public void CreateAndLock()
    {
        Directory.CreateDirectory(Path, Traversable);
        File.SetUnixFileMode(Path, Traversable);
        try
        {
            // FileShare.None is an exclusive advisory lock on Linux: a second AppHost on the same folder fails here.
            _lock = new FileStream(System.IO.Path.Combine(Path, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException($"Another AppHost is using the state folder {Path}. Stop it, or pass --state <another folder>.");
        }
    }

    /// <summary>Everything but the lock: server data (also what PostgreSQL keeps outside), passwords, pid records.</summary>
    public void Wipe()
    {
        WipeDataKeptOutside();
        foreach (var entry in new DirectoryInfo(Path).EnumerateFileSystemInfos().Where(e => e.Name != LockFileName))
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }

        context.Secrets.Clear();
    }

    public void WriteControlFile(Uri url, string token) => new ControlFile(url, token, Environment.ProcessId).WriteTo(Path);

    /// <summary>Releases the lock and, for a test estate, removes the folder and what belongs to it elsewhere.</summary>
    public void Release()
    {
        Dispose();
        if (options.DeleteStateOnDispose)
        {
            WipeDataKeptOutside();
            Directory.Delete(Path, recursive: true);
        }
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    private void WipeDataKeptOutside()
    {
        foreach (var postgres in resources.OfType<PostgresServerResource>())
        {
            PostgresLauncher.WipeFallbackData(Path, postgres.Name);
        }
    }
}
