using LogisticsSync.Dashboard;
using LogisticsSync.Dashboard.Operations;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Protocol;

// The estate, as a diagram: infrastructure first, then the services that wait for it.
var builder = DistributedApplication.CreateBuilder(args);
// Every partner's API key, the carriers' webhook secrets and the simulators' admin key: generated per state folder.
var credentials = new PartnerCredentialParameters(builder);
// Served by the AppHost itself: resources, console logs, and the telemetry every service exports to it. Its
// operations page reads the orchestrator through the gateway as the operations partner (scope operations).
builder.AddDashboard(new OperationsSource(ResourceNames.Gateway, credentials.Operations));

var postgres = builder.AddPostgres(ResourceNames.Postgres);
var database = postgres.AddDatabase(ResourceNames.Database);
var redis = builder.AddRedis(ResourceNames.Redis);
var rabbitmq = builder.AddRabbitMQ(ResourceNames.RabbitMQ);

// Each system connects to the broker as its own user, with only what it needs (docs/security.md, "Broker users").
// Replicas compete for messages and claim outbox rows and timers; two show that it works.
var orchestrator = builder.AddProject(ResourceNames.Orchestrator, "../Orchestrator/Orchestrator.csproj")
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithReference(rabbitmq, Broker(BrokerGrants.Orchestrator)).WaitFor(rabbitmq)
    .WithReplicas(builder.Options.GetParameter("orchestrator-replicas", 2))
    .WithHttpHealthCheck("/health");

// The only public entry: partners call the gateway, never the orchestrator. It does not wait for the
// orchestrator: a proxy answers for an upstream that is still starting (503), as it must when one restarts.
var gateway = builder.AddProject(ResourceNames.Gateway, "../ApiGateway/ApiGateway.csproj")
    .WithReference(orchestrator)
    .WithReference(redis).WaitFor(redis)
    .WithHttpEndpoint(port: builder.Options.GetParameter("gateway-port", 5080))
    .WithHttpHealthCheck("/health");
credentials.ForGateway(gateway);

// Simulated partner systems: one project, one resource per system (Simulator__Role). Those that call the
// gateway do not wait for it: like real partners they start on their own and retry until the edge answers.
// The WMS hears of releases through its own queue on the orchestrator's events exchange; a release published
// before that queue is bound would reach no warehouse, so the ERP starts once the WMS is subscribed (healthy).
var wms = AddSimulator(ResourceNames.Wms)
    .WithReference(rabbitmq, Broker(BrokerGrants.Wms)).WaitFor(rabbitmq);
var erp = credentials.ForErp(AddSimulator(ResourceNames.Erp))
    .WithReference(gateway)
    .WaitFor(wms);
// Carriers report their shipments' journeys as signed webhooks through the gateway; the TMS books with them by
// service discovery (http://carrier-parcelfast) and is called by the orchestrator, never through the gateway.
var parcelFast = credentials.ForCarrier(AddSimulator(ResourceNames.CarrierParcelFast)).WithReference(gateway);
var freightLine = credentials.ForCarrier(AddSimulator(ResourceNames.CarrierFreightLine)).WithReference(gateway);
var tms = AddSimulator(ResourceNames.Tms)
    .WithReference(parcelFast)
    .WithReference(freightLine);

// The orchestrator calls the TMS (rates, tenders) and the ERP's system API (goods issue, invoice triggers), and
// reconciliation reads every partner's records (ERP documents, WMS orders, TMS tenders, carrier tracking).
// That closes a reference cycle (orchestrator → erp → gateway → orchestrator), which is fine: a reference only
// injects endpoints, as in Aspire, and orders no start. Neither waits: a partner that is not up yet is what the
// resilience pipelines and the durable work table are for.
orchestrator.WithReference(erp).WithReference(tms).WithReference(wms).WithReference(parcelFast).WithReference(freightLine);

await builder.Build().RunAsync();

IResourceBuilder<ProjectResource> AddSimulator(string role) =>
    builder.AddProject(role, "../Simulators/Simulators.csproj")
        .WithEnvironment("Simulator__Role", role)
        .WithEnvironment("Simulator__AdminKey", credentials.SimulatorAdminKey)
        .WithHttpHealthCheck("/health");

static RabbitMQPermissions Broker(BrokerGrant grant) => new(grant.Configure, grant.Write, grant.Read)
{
    Topics = [.. grant.Topics.Select(t => new RabbitMQTopicPermission(t.Exchange, t.Write, t.Read))],
    Impersonator = grant.Impersonator,
};
