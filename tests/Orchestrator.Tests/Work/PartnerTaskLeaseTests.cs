using System.Net;
using LogisticsSync.Orchestrator.Work;
using LogisticsSync.ServiceDefaults;
using Npgsql;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Work;

/// <summary>
/// The lease of partner tasks against the real work table: renewed only while this claim still holds the task, and
/// freed at once when a replica comes back after dying with tasks in hand (found by the chaos run, where a killed
/// replica's fixed 2 min lease outlasted the run's settle bound). This fixture's replicas claim nothing themselves.
/// </summary>
public sealed class PartnerTaskLeaseTests(OrchestratorEstateFixture estate) : IClassFixture<OrchestratorEstateFixture>
{
    [Fact]
    public async Task ExtendAsync_MovesTheLeaseOfHeldTasksOnly_NotOfOnesTheirHandlerParked()
    {
        await using var database = NpgsqlDataSource.Create(estate.App.GetConnectionString(ResourceNames.Database));
        var store = new PartnerTaskStore(database, TimeProvider.System);
        var shipment = await ReleasedShipmentAsync(database);
        await AddDueTasksAsync(database, shipment, "lease-held", "lease-parked");
        var claimed = await ClaimAsync(store, shipment, "replica-a");
        var parkedUntil = DateTimeOffset.UtcNow.AddHours(1);
        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await store.RescheduleAsync(transaction, claimed.Single(t => t.Kind == "lease-parked"), parkedUntil, error: null, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await store.ExtendAsync(claimed, "replica-a", TimeSpan.FromMinutes(10), CancellationToken.None);

        Assert.InRange(await DueInMinutesAsync(database, shipment, "lease-held"), 9, 10);
        Assert.InRange(await DueInMinutesAsync(database, shipment, "lease-parked"), 59, 60);
    }

    [Fact]
    public async Task ReleaseLeftoversAsync_MakesDueNowWhatAnEarlierRunOfThisReplicaHeld_AndTheOldClaimCannotRenewIt()
    {
        await using var database = NpgsqlDataSource.Create(estate.App.GetConnectionString(ResourceNames.Database));
        var store = new PartnerTaskStore(database, TimeProvider.System);
        var shipment = await ReleasedShipmentAsync(database);
        await AddDueTasksAsync(database, shipment, "lease-leftover");
        var died = await ClaimAsync(store, shipment, "replica-b", TimeSpan.FromMinutes(10));

        Assert.Equal(0, await store.ReleaseLeftoversAsync("replica-other", CancellationToken.None));
        Assert.True(await store.ReleaseLeftoversAsync("replica-b", CancellationToken.None) >= 1);
        var retaken = await ClaimAsync(store, shipment, "replica-c");
        await store.ExtendAsync(died, "replica-b", TimeSpan.FromMinutes(30), CancellationToken.None);

        Assert.Equal(died.Single().Attempt + 1, retaken.Single().Attempt);
        Assert.InRange(await DueInMinutesAsync(database, shipment, "lease-leftover"), 4, 5);
    }

    private async Task<Guid> ReleasedShipmentAsync(NpgsqlDataSource database)
    {
        var key = "SO-" + Guid.NewGuid().ToString("N")[..12];
        using var client = estate.Replica(0);
        using var response = await client.SendAsync(Release(ReleaseBody(key), key));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var command = database.CreateCommand("SELECT id FROM shipments WHERE business_key = $1");
        command.Parameters.Add(new() { Value = key });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private static async Task AddDueTasksAsync(NpgsqlDataSource database, Guid shipment, params string[] kinds)
    {
        foreach (var kind in kinds)
        {
            await using var command = database.CreateCommand(
                "INSERT INTO partner_tasks (shipment_id, kind, occurred_at, due_at, created_at) VALUES ($1, $2, now(), now() - interval '1 second', now())");
            command.Parameters.Add(new() { Value = shipment });
            command.Parameters.Add(new() { Value = kind });
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Claims everything due (only this test's tasks are: nothing else creates any here) and keeps this shipment's.</summary>
    private static async Task<IReadOnlyList<ClaimedTask>> ClaimAsync(PartnerTaskStore store, Guid shipment, string claimant, TimeSpan? lease = null) =>
        [.. (await store.ClaimAsync(100, claimant, lease ?? TimeSpan.FromMinutes(5), CancellationToken.None)).Where(t => t.ShipmentId == shipment)];

    private static async Task<double> DueInMinutesAsync(NpgsqlDataSource database, Guid shipment, string kind)
    {
        await using var command = database.CreateCommand("SELECT EXTRACT(EPOCH FROM due_at - now())::float8 / 60 FROM partner_tasks WHERE shipment_id = $1 AND kind = $2");
        command.Parameters.Add(new() { Value = shipment });
        command.Parameters.Add(new() { Value = kind });
        return (double)(await command.ExecuteScalarAsync())!;
    }
}
