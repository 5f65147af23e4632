using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Tests.Runtime;

public sealed class ServiceEnvironmentTests : IDisposable
{
    // Its own folder: the environment carries the service key, which the state folder's secrets.json keeps.
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("env-tests-");
    private readonly DistributedApplicationBuilder _builder;

    public ServiceEnvironmentTests() => _builder = new(new EstateOptions { StateDirectory = _folder.FullName });

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void For_EveryProject_GetsTheStateFolderServiceKey_KeptAcrossRunsAndNotSharedWithAnotherFolder()
    {
        var orchestrator = _builder.AddProject("orchestrator", "../Orchestrator/Orchestrator.csproj");
        var erp = _builder.AddProject("erp", "../Simulators/Simulators.csproj");
        Allocate(orchestrator.Resource, ("http", 7001));
        Allocate(erp.Resource, ("http", 7101));
        var other = Directory.CreateTempSubdirectory("env-tests-other-");
        try
        {
            var key = ServiceEnvironment.For(orchestrator.Resource, 0, new EstateContext(_builder.Options, new ResourceLogs()))[ServiceKeyConvention.EnvironmentVariable];
            var nextRun = ServiceEnvironment.For(erp.Resource, 0, new EstateContext(_builder.Options, new ResourceLogs()))[ServiceKeyConvention.EnvironmentVariable];
            var otherEstate = ServiceEnvironment.For(erp.Resource, 0, new EstateContext(new EstateOptions { StateDirectory = other.FullName }, new ResourceLogs()));

            Assert.Equal(32, key.Length);
            Assert.Equal(key, nextRun);
            Assert.Contains(key, File.ReadAllText(Path.Combine(_folder.FullName, "secrets.json")), StringComparison.Ordinal);
            Assert.NotEqual(key, otherEstate[ServiceKeyConvention.EnvironmentVariable]);
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    [Fact]
    public void For_ReferencesToServersAndProjects_UseAspireNamesAndFormats()
    {
        var postgres = _builder.AddPostgres("postgres");
        var database = postgres.AddDatabase("logistics");
        var redis = _builder.AddRedis("redis");
        var rabbit = _builder.AddRabbitMQ("rabbitmq");
        var orchestrator = _builder.AddProject("orchestrator", "../Orchestrator/Orchestrator.csproj").WithReplicas(2);
        var gateway = _builder.AddProject("gateway", "../ApiGateway/ApiGateway.csproj")
            .WithReference(database).WithReference(redis).WithReference(rabbit).WithReference(orchestrator)
            .WithEnvironment("Extra__Setting", "on");
        Allocate(postgres.Resource, ("tcp", 5432));
        Allocate(redis.Resource, ("tcp", 6379));
        Allocate(rabbit.Resource, ("tcp", 5672), ("management", 15672));
        Allocate(orchestrator.Resource, ("http", 7001));
        Allocate(orchestrator.Resource, ("http", 7002));
        Allocate(gateway.Resource, ("http", 5080));
        postgres.Resource.Credentials = new ServerCredentials("postgres", "pgpw");
        redis.Resource.Credentials = new ServerCredentials("default", "redispw");
        rabbit.Resource.Credentials = new ServerCredentials("logistics", "mqpw");
        rabbit.Resource.UserCredentials["gateway"] = new ServerCredentials("gateway", "gatewaypw");
        var context = new EstateContext(_builder.Options, new ResourceLogs()) { DashboardUrl = new Uri("http://127.0.0.1:18888") };

        var variables = ServiceEnvironment.For(gateway.Resource, 0, context);

        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=pgpw;Database=logistics", variables["ConnectionStrings__logistics"]);
        Assert.Equal("127.0.0.1:6379,password=redispw", variables["ConnectionStrings__redis"]);
        // Its own broker user, never the administrator.
        Assert.Equal("amqp://gateway:gatewaypw@127.0.0.1:5672", variables["ConnectionStrings__rabbitmq"]);
        Assert.Equal("http://127.0.0.1:7001", variables["services__orchestrator__http__0"]);
        Assert.Equal("http://127.0.0.1:7002", variables["services__orchestrator__http__1"]);
        Assert.Equal("http://127.0.0.1:7001", variables["ORCHESTRATOR_HTTP"]);
        Assert.Equal("http://127.0.0.1:5080", variables["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:18888", variables["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", variables["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal($"x-otlp-api-key={context.OtlpApiKey}", variables["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("gateway", variables["OTEL_SERVICE_NAME"]);
        Assert.Contains("service.instance.id=gateway-0", variables["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Equal("1000", variables["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", variables["OTEL_BLRP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", variables["OTEL_METRIC_EXPORT_INTERVAL"]);
        Assert.Equal("on", variables["Extra__Setting"]);
        // Never Development: its exception page would answer partners with stack traces.
        Assert.Equal("Production", variables["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Production", variables["DOTNET_ENVIRONMENT"]);
    }

    [Fact]
    public void For_SecondReplica_GetsItsOwnPortAndInstanceId()
    {
        var orchestrator = _builder.AddProject("orchestrator", "../Orchestrator/Orchestrator.csproj").WithReplicas(2);
        Allocate(orchestrator.Resource, ("http", 7001));
        Allocate(orchestrator.Resource, ("http", 7002));
        var context = new EstateContext(_builder.Options, new ResourceLogs());

        var variables = ServiceEnvironment.For(orchestrator.Resource, 1, context);

        Assert.Equal("http://127.0.0.1:7002", variables["ASPNETCORE_URLS"]);
        Assert.Contains("service.instance.id=orchestrator-1", variables["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.False(variables.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "Information")]
    public void For_Verbose_OpensTheConsoleToFrameworkEvents(bool verbose, string? expected)
    {
        _builder.Options.Verbose = verbose;
        var orchestrator = _builder.AddProject("orchestrator", "../Orchestrator/Orchestrator.csproj");
        Allocate(orchestrator.Resource, ("http", 7001));

        var variables = ServiceEnvironment.For(orchestrator.Resource, 0, new EstateContext(_builder.Options, new ResourceLogs()));

        Assert.Equal(expected, variables.GetValueOrDefault("Logging__Console__LogLevel__Default"));
    }

    private static void Allocate(ProcessResource resource, params (string Name, int Port)[] endpoints) =>
        resource.AllocatedEndpoints.Add(endpoints.ToDictionary(
            e => e.Name,
            e => new AllocatedEndpoint(e.Name, resource.Endpoints.Single(d => d.Name == e.Name).Scheme, "127.0.0.1", e.Port)));
}
