namespace LogisticsSync.Hosting.Model;

/// <summary>Credentials of a server, generated once and kept in the state folder.</summary>
public sealed record ServerCredentials(string UserName, string Password);

/// <summary>A server started from a Debian package, with a password generated on first start.</summary>
public abstract class ServerResource(string name) : ProcessResource(name), IResourceWithConnectionString
{
    internal ServerCredentials? Credentials { get; set; }

    internal ServerCredentials RequireCredentials() =>
        Credentials ?? throw new InvalidOperationException($"Credentials of '{Name}' are not known before the estate is built.");

    public abstract string GetConnectionString();
}

public sealed class PostgresServerResource : ServerResource
{
    public const string DefaultUser = "postgres";

    public PostgresServerResource(string name) : base(name) => AddEndpoint("tcp", "tcp");

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public override string TypeName => "postgres";

    public override string GetConnectionString() => ConnectionStringFor("postgres");

    internal string ConnectionStringFor(string database)
    {
        var endpoint = GetEndpoint("tcp");
        var credentials = RequireCredentials();
        return $"Host={endpoint.Host};Port={endpoint.Port};Username={credentials.UserName};Password={credentials.Password};Database={database}";
    }
}

/// <summary>A database on a PostgreSQL server: created once the server is healthy, healthy when it exists.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server)
    : Resource(name), IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Server { get; } = server;

    public override string TypeName => "postgres-database";

    public override IEnumerable<Resource> Dependencies => base.Dependencies.Append(Server).Distinct();

    public string GetConnectionString() => Server.ConnectionStringFor(DatabaseName);
}

public sealed class RedisResource : ServerResource
{
    public RedisResource(string name) : base(name) => AddEndpoint("tcp", "tcp");

    public override string TypeName => "redis";

    public override string GetConnectionString()
    {
        var endpoint = GetEndpoint("tcp");
        return $"{endpoint.Host}:{endpoint.Port},password={RequireCredentials().Password}";
    }
}

public sealed class RabbitMQServerResource : ServerResource
{
    public const string DefaultUser = "logistics";

    public RabbitMQServerResource(string name) : base(name)
    {
        AddEndpoint("tcp", "amqp");
        AddEndpoint("management", "http");
    }

    public override string TypeName => "rabbitmq";

    /// <summary>
    /// A broker user per referencing resource, named after it, with what it may do. The administrator
    /// (<see cref="DefaultUser"/>) is the engine's own: health probes, tests and operator tools, never a service.
    /// </summary>
    public Dictionary<string, RabbitMQPermissions> Users { get; } = [];

    /// <summary>Passwords of <see cref="Users"/>, assigned with the administrator's.</summary>
    internal Dictionary<string, ServerCredentials> UserCredentials { get; } = [];

    /// <summary>The administrator's connection string.</summary>
    public override string GetConnectionString() => ConnectionStringFor(RequireCredentials());

    /// <summary>The connection string of the broker user of <paramref name="resource"/> (a resource that references this one).</summary>
    public string GetConnectionString(string resource) => UserCredentials.TryGetValue(resource, out var credentials)
        ? ConnectionStringFor(credentials)
        : throw new KeyNotFoundException($"'{resource}' has no broker user on '{Name}' (it does not reference it).");

    private string ConnectionStringFor(ServerCredentials credentials)
    {
        var endpoint = GetEndpoint("tcp");
        return $"amqp://{Uri.EscapeDataString(credentials.UserName)}:{Uri.EscapeDataString(credentials.Password)}@{endpoint.Host}:{endpoint.Port}";
    }
}
