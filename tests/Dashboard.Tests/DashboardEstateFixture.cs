using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using Npgsql;

namespace LogisticsSync.Dashboard.Tests;

/// <summary>
/// The gateway and everything it needs (orchestrator, PostgreSQL, Redis, RabbitMQ), booted once for the
/// dashboard's end-to-end, operations and browser tests: enough for a trace that crosses two services, and for
/// shipments the operations page reads through the gateway (no partner runs, so a release stays Released).
/// </summary>
public sealed class DashboardEstateFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await TestEstate.CreateBuilderAsync("--orchestrator-replicas", "1");
        builder.KeepOnly(ResourceNames.Gateway, ResourceNames.Orchestrator);
        App = await builder.StartHealthyAsync();
    }

    public async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);

    /// <summary>Releases a shipment through the gateway as the ERP does; returns its id.</summary>
    public async Task<Guid> ReleaseAsync(string businessKey)
    {
        using var gateway = App.CreateHttpClient(ResourceNames.Gateway);
        gateway.DefaultRequestHeaders.Add("X-Api-Key", TestPartnerKeys.Erp);
        gateway.DefaultRequestHeaders.Add("Idempotency-Key", businessKey);
        var release = new ReleaseShipmentRequest(businessKey, null, new CustomerReference("C-1001", "Acme Retail"),
            new Address("Acme DC North", "Hafenstraße 1", "Hamburg", "20457", "DE"), [new OrderLine("SKU-100", 2, 1.25m)],
            new DateTimeOffset(2030, 12, 1, 17, 0, 0, TimeSpan.Zero), "standard");
        using var response = await gateway.PostAsJsonAsync("/api/v1/shipments", release);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Opens an exception on the shipment a day past its SLA (escalation moves it on by one SLA every sweep, so it stays
    /// breached for minutes), as a dwell timer would: written to
    /// the database because no partner here fails in a way that opens one, and the page's reads and actions are under test.
    /// </summary>
    public async Task<Guid> OpenBreachedExceptionAsync(Guid shipmentId, string businessKey)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync("""
            INSERT INTO shipment_exceptions (id, shipment_id, business_key, type, owner_team, status, sla_due_at, detail, task_kind, opened_at)
            VALUES ($1, $2, $3, 'ShipmentStuck', 'integration-operations', 'open', now() - interval '1 day',
                    'Released for 6h, limit 4h', NULL, now() - interval '2 hours')
            """, id, shipmentId, businessKey);
        return id;
    }

    /// <summary>A milestone the consumer gave up on, as it records one after its retries (the page lists it for replay).</summary>
    public Task SeedDeadLetterAsync(string businessKey) => ExecuteAsync("""
        INSERT INTO dead_letters (event_id, routing_key, body, content_type, reason, attempts, message_type, correlation_id)
        VALUES (gen_random_uuid()::text, 'wms.packed', convert_to('{"businessKey":"' || $1 || '"', 'UTF8'), 'application/cloudevents+json',
                'poison: the body is not a canonical event (unexpected end of JSON)', 5, 'com.logisticssync.shipment.packed', $1)
        """, businessKey);

    /// <summary>
    /// Runs reconciliation now through the gateway as the operations client; returns the run. No partner runs here, so
    /// each is reported unavailable. A scheduled run in progress answers 409: asked again until this one ran.
    /// </summary>
    public async Task<JsonElement> RunReconciliationAsync()
    {
        using var gateway = App.CreateHttpClient(ResourceNames.Gateway);
        gateway.DefaultRequestHeaders.Add("X-Api-Key", TestPartnerKeys.Operations);
        JsonElement run = default;
        await Eventually.UntilAsync(async () =>
        {
            using var response = await gateway.PostAsync("/api/v2/reconciliation/runs", null);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                run = await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            return response.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(60), "an on-demand reconciliation run");
        return run;
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(App.GetConnectionString(ResourceNames.Database));
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A client of the dashboard's API with the control token, as a script would call it.</summary>
    public HttpClient CreateDashboardClient() => new()
    {
        BaseAddress = App.DashboardUrl,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", App.ControlToken) },
    };
}

[CollectionDefinition(Name)]
public sealed class DashboardEstateCollection : ICollectionFixture<DashboardEstateFixture>
{
    public const string Name = "dashboard estate";
}
