using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults;
using RabbitMQ.Client;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Flows;

/// <summary>
/// The orchestrator (two replicas, real servers) pointed at a partner double for TMS and ERP, with the flows'
/// timers made quick: retries after a few hundred milliseconds, a posting delayed after one second.
/// </summary>
public sealed class FlowsEstateFixture : OrchestratorEstateFixture
{
    private IConnection? _broker;
    private IChannel? _channel;

    public PartnerDouble Partners { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Partners = await PartnerDouble.StartAsync();
        await base.InitializeAsync();
        _broker = await new ConnectionFactory { Uri = new Uri(App.GetConnectionString(ResourceNames.RabbitMQ)) }.CreateConnectionAsync();
        _channel = await _broker.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    }

    protected override void Configure(DistributedApplicationBuilder builder) =>
        builder.GetResource<ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context =>
        {
            // Service discovery finds the double where the estate would inject the real TMS and ERP.
            context.Variables["services__tms__http__0"] = Partners.Url.ToString();
            context.Variables["services__erp__http__0"] = Partners.Url.ToString();
            context.Variables["PartnerWork__Enabled"] = "true";
            context.Variables["PartnerWork__PollInterval"] = "00:00:00.100";
            context.Variables["PartnerWork__RetryDelay"] = "00:00:00.300";
            context.Variables["PartnerWork__MaxRetryDelay"] = "00:00:01.500";
            context.Variables["PartnerWork__PostingDelayedAfter"] = "00:00:01";
            // A replica killed mid-call leaves its tasks to the other after this; every call ends well within it.
            context.Variables["PartnerWork__Lease"] = "00:00:06";
            // Small claims, so a few shipments' work is spread over both replicas.
            context.Variables["PartnerWork__BatchSize"] = "2";
            context.Variables["Exceptions__EscalationInterval"] = "00:00:00.500";
            context.Variables["CarrierWebhooks__PollInterval"] = "00:00:00.100";
            context.Variables["CarrierWebhooks__RetryDelay"] = "00:00:00.100";
            context.Variables["CarrierWebhooks__MaxRetryDelay"] = "00:00:00.300";
            context.Variables["CarrierWebhooks__MaxAttempts"] = "4";
            // One quick retry inside a call and a short break: the work table does the patient retrying.
            foreach (var partner in new[] { "tms", "erp" })
            {
                context.Variables[$"Partners__{partner}__Retries"] = "1";
                context.Variables[$"Partners__{partner}__RetryDelay"] = "00:00:00.050";
                context.Variables[$"Partners__{partner}__BreakDuration"] = "00:00:00.500";
                context.Variables[$"Partners__{partner}__TotalTimeout"] = "00:00:04";
            }
        });

    public override async Task DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        await base.DisposeAsync();
        await Partners.DisposeAsync();
    }

    /// <summary>The API of replica 1: tests that kill a replica kill replica 0, and the work is shared by both anyway.</summary>
    public HttpClient Client() => Replica(1);

    public static string NewKey() => "SO-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Releases a shipment (optionally promised by a given time) and has the WMS report it packed.</summary>
    public async Task<Guid> ReleaseAndPackAsync(string businessKey, DateTimeOffset? promisedBy = null)
    {
        using var client = Client();
        var body = JsonSerializer.SerializeToNode(ReleaseBody(businessKey), JsonSerializerOptions.Web)!;
        if (promisedBy is { } promised)
        {
            body["promisedBy"] = promised.ToString("O");
        }

        using var response = await client.SendAsync(Release(body, businessKey));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        await PublishAsync(businessKey, ShipmentMilestone.Packed, "wms");
        return id;
    }

    /// <summary>A shipment whose every carrier is unavailable: BookingDeferred with its open exception.</summary>
    public async Task<(Guid Id, string Key, JsonElement Exception)> DeferredShipmentAsync()
    {
        var key = NewKey();
        var script = Partners.Script(key);
        script.Outcomes["parcelfast"] = "unavailable";
        script.Outcomes["freightline"] = "unavailable";
        var id = await ReleaseAndPackAsync(key);
        await WaitForStateAsync(id, "BookingDeferred");
        return (id, key, Assert.Single(await ExceptionsAsync(id, status: "open")));
    }

    public Task PublishAsync(string businessKey, ShipmentMilestone milestone, string source) => PublishMilestoneAsync(_channel!, businessKey, milestone, source);

    public async Task<JsonElement> ShipmentAsync(Guid id)
    {
        using var client = Client();
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{id}");
    }

    public async Task<JsonElement> WaitForStateAsync(Guid id, string state, TimeSpan? timeout = null)
    {
        JsonElement shipment = default;
        await WaitUntilAsync(async () =>
        {
            shipment = await ShipmentAsync(id);
            return shipment.GetProperty("state").GetString() == state;
        }, timeout);
        return shipment;
    }

    /// <summary>The trail as (milestone, source, outcome) triples, in order.</summary>
    public async Task<IReadOnlyList<(string Milestone, string Source, string Outcome, string? Detail)>> TrailAsync(Guid id)
    {
        using var client = Client();
        var trail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{id}/timeline");
        return [.. trail.EnumerateArray().Select(e => (
            e.GetProperty("milestone").GetString()!, e.GetProperty("sourceSystem").GetString()!, e.GetProperty("outcome").GetString()!,
            e.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null))];
    }

    public async Task<JsonElement[]> ExceptionsAsync(Guid shipmentId, string? status = null)
    {
        using var client = Client();
        var query = $"/api/v1/exceptions?shipmentId={shipmentId}" + (status is null ? "" : $"&status={status}");
        return [.. (await client.GetFromJsonAsync<JsonElement>(query)).EnumerateArray()];
    }

    /// <summary>Posts a carrier webhook to the orchestrator's raw inbox as the gateway forwards a verified one.</summary>
    public async Task<HttpStatusCode> PostWebhookAsync(string carrierId, string body, string? webhookId = null)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/carrier-webhooks/{carrierId}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", webhookId ?? $"msg_{Guid.NewGuid():N}");
        request.Headers.Add("webhook-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>How the adapter settled a carrier's webhooks for a shipment's business key: outcome per webhook id.</summary>
    public async Task<string?> WebhookOutcomeAsync(string carrierId, string webhookId)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(App.GetConnectionString(ResourceNames.Database));
        await using var command = dataSource.CreateCommand("SELECT outcome FROM carrier_webhook_inbox WHERE carrier_id = $1 AND webhook_id = $2 AND processed_at IS NOT NULL");
        command.Parameters.Add(new() { Value = carrierId });
        command.Parameters.Add(new() { Value = webhookId });
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<string> WaitForWebhookOutcomeAsync(string carrierId, string webhookId)
    {
        string? outcome = null;
        await WaitUntilAsync(async () => (outcome = await WebhookOutcomeAsync(carrierId, webhookId)) is not null);
        return outcome!;
    }
}

[CollectionDefinition(Name)]
public sealed class FlowsCollection : ICollectionFixture<FlowsEstateFixture>
{
    public const string Name = "Flows";
}
