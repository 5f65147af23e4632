using System.Security.Cryptography;
using System.Text;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Processes;
using LogisticsSync.Hosting.Runtime;
using Npgsql;

namespace LogisticsSync.Hosting.Infrastructure;

/// <summary>
/// PostgreSQL from the Debian package. initdb and postgres refuse to run as root, so as root both run
/// as the <c>postgres</c> user, on a data folder that user owns.
/// </summary>
internal sealed class PostgresLauncher(PostgresServerResource resource, EstateContext context) : IResourceLauncher
{
    private const string PackageRoot = "/usr/lib/postgresql";
    private readonly string? _runAsUser = Posix.IsRoot ? PostgresServerResource.DefaultUser : null;
    private string _binDirectory = "";
    private string _dataRoot = "";

    private string DataDirectory => Path.Combine(_dataRoot, "data");

    private string SocketDirectory => Path.Combine(_dataRoot, "run");

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _binDirectory = FindBinDirectory();
        _dataRoot = ChooseDataRoot(context.StateDirectory, resource.Name, _runAsUser);
        // Local connections are trusted (initdb --auth-local=trust): only the server's user may reach the socket.
        Directory.CreateDirectory(SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitialiseClusterAsync(cancellationToken);
        }

        GiveToServerUser(_dataRoot);
    }

    public ProcessSpec CreateSpec(int replica) => new(
        Path.Combine(_binDirectory, "postgres"),
        [
            "-D", DataDirectory,
            "-p", resource.GetEndpoint("tcp").Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", SocketDirectory,
            "-c", "unix_socket_permissions=0700",
            "-c", "listen_addresses=127.0.0.1",
            "-c", "max_connections=300",
            "-c", "shared_buffers=128MB",
            // A local estate does not need 1 GB of WAL kept around.
            "-c", "max_wal_size=256MB",
            "-c", "log_min_messages=warning",
        ])
    {
        RunAsUser = _runAsUser,
        // SIGTERM is a "smart" shutdown that waits for every pooled client to leave; SIGINT is the fast one.
        StopSignal = Posix.SigInt,
        StopTimeout = TimeSpan.FromSeconds(10),
    };

    public async Task<HealthProbeResult> ProbeAsync(int replica, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(resource.GetConnectionString() + ";Timeout=2;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthProbeResult.Healthy($"PostgreSQL {connection.ServerVersion}");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthProbeResult.Unhealthy(e.Message);
        }
    }

    public Task ShutdownAsync() => Task.CompletedTask;

    /// <summary>
    /// The state folder if the server user can reach it; otherwise (say, a clone under /root, which is
    /// mode 700) a folder of its own under /var/lib/postgresql, named after the state folder.
    /// </summary>
    internal static string ChooseDataRoot(string stateDirectory, string resourceName, string? runAsUser)
    {
        var preferred = Path.Combine(stateDirectory, resourceName);
        if (runAsUser is null || IsTraversableByOthers(stateDirectory))
        {
            return preferred;
        }

        var fallback = FallbackDataRoot(stateDirectory, resourceName);
        Directory.CreateDirectory(preferred);
        File.WriteAllText(Path.Combine(preferred, "DATA_IS_ELSEWHERE"), fallback + Environment.NewLine);
        return fallback;
    }

    /// <summary>
    /// Deletes the data kept outside the state folder. The pointer file only says that there is some: its content
    /// is never trusted (the folder it sits in may be the server user's), the path is derived again.
    /// Directory.Delete removes a symbolic link inside, never what it points to.
    /// </summary>
    internal static void WipeFallbackData(string stateDirectory, string resourceName)
    {
        var fallback = new DirectoryInfo(FallbackDataRoot(stateDirectory, resourceName));
        if (File.Exists(Path.Combine(stateDirectory, resourceName, "DATA_IS_ELSEWHERE")) && fallback.Exists && fallback.LinkTarget is null)
        {
            fallback.Delete(recursive: true);
        }
    }

    private static string FallbackDataRoot(string stateDirectory, string resourceName)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stateDirectory)))[..12];
        return Path.Combine("/var/lib/postgresql/logistics-estates", $"{resourceName}-{hash}");
    }

    private static bool IsTraversableByOthers(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (current.Exists && !current.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    private static string FindBinDirectory()
    {
        var bin = Directory.Exists(PackageRoot)
            ? Directory.EnumerateDirectories(PackageRoot)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres). Run ./run.sh, which installs it, or: apt-get install -y postgresql");
    }

    private async Task InitialiseClusterAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        GiveToServerUser(_dataRoot);
        var passwordFile = Path.Combine(_dataRoot, "initdb.pw");
        PrivateFile.Write(passwordFile, resource.RequireCredentials().Password);
        GiveToServerUser(passwordFile);
        try
        {
            await context.RunToCompletionAsync(resource.Name, new ProcessSpec(
                Path.Combine(_binDirectory, "initdb"),
                [
                    "-D", DataDirectory, "-U", PostgresServerResource.DefaultUser, "--pwfile", passwordFile,
                    // Password over TCP (what the services use); trust only on the private socket folder.
                    "--auth-host=scram-sha-256", "--auth-local=trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
                ])
            { RunAsUser = _runAsUser }, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private void GiveToServerUser(string path)
    {
        if (_runAsUser is null)
        {
            return;
        }

        var user = ServerUser.Lookup(_runAsUser);
        ServerUser.ChownRecursive(path, user.Uid, user.Gid);
    }
}
