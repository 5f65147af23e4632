using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Monitoring;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.ServiceDefaults;
using Npgsql;

namespace LogisticsSync.Load.Chaos.Reports;

/// <summary>
/// The run's retries, redeliveries, suppressed duplicates and client-seen errors, each from the component that knows:
/// the ERP's ledger, the carriers' webhook senders, the broker, the orchestrator's trail and the load runner.
/// </summary>
public static class ClientCounts
{
    public static async Task<ReportSection> ReadAsync(ChaosEstate estate, IReadOnlyCollection<string> keys, IReadOnlyList<Sample> samples, LoadTestResult load,
        CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyList<string>>();
        async Task Try(string what, Func<Task> read)
        {
            try
            {
                await read();
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or NpgsqlException or KeyNotFoundException or InvalidOperationException)
            {
                rows.Add([what, "could not be read", exception.Message]);
            }
        }

        await Try("ERP", async () =>
        {
            using var erp = new HttpClient { BaseAddress = estate.Simulator(ResourceNames.Erp), Timeout = TimeSpan.FromSeconds(10) };
            var releases = await erp.GetFromJsonAsync<JsonElement>("/erp/releases", cancellationToken);
            rows.Add(["ERP", "release attempts beyond the first (retries) / lost responses", $"{Number(releases, "attempts") - Number(releases, "orders")} / {Number(releases, "lostResponses")}"]);
            rows.Add(["ERP", "resends after success / answered as replays (duplicates suppressed)", $"{Number(releases, "resent")} / {Number(releases, "resendsReplayed")}"]);
        });
        foreach (var carrier in new[] { ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine })
        {
            await Try(carrier, async () =>
            {
                using var client = new HttpClient { BaseAddress = estate.Simulator(carrier), Timeout = TimeSpan.FromSeconds(10) };
                var webhooks = (await client.GetFromJsonAsync<JsonElement>("/carrier/journeys", cancellationToken)).GetProperty("webhooks");
                rows.Add([carrier, "webhooks delivered / retried attempts / refused for good", $"{Number(webhooks, "delivered")} / {Number(webhooks, "retriedAttempts")} / {Number(webhooks, "refused")}"]);
                rows.Add([carrier, "duplicates / resends / storm resends sent", $"{Number(webhooks, "duplicates")} / {Number(webhooks, "resends")} / {Number(webhooks, "stormResends")}"]);
            });
        }

        var redelivered = samples.Where(s => s.Redelivered is not null).Select(s => s.Redelivered!.Value).ToList();
        rows.Add(["RabbitMQ", "redeliveries during the run (node totals; a broker restart resets them)",
            redelivered.Count < 2 ? "—" : Math.Max(0, redelivered[^1] - redelivered[0]).ToString(CultureInfo.InvariantCulture)]);
        await Try("orchestrator", async () =>
        {
            await using var database = NpgsqlDataSource.Create(estate.Database);
            await using var command = database.CreateCommand(
                """
                SELECT (SELECT count(*) FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id WHERE s.business_key = ANY($1) AND e.outcome = 'duplicate'),
                       (SELECT coalesce(sum(greatest(t.attempts - 1, 0)), 0) FROM partner_tasks t JOIN shipments s ON s.id = t.shipment_id WHERE s.business_key = ANY($1))
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            rows.Add(["orchestrator", "duplicate milestones suppressed (trail outcome 'duplicate')", reader.GetInt64(0).ToString(CultureInfo.InvariantCulture)]);
            rows.Add(["orchestrator", "partner calls retried (tender, goods issue, invoice claims beyond the first)", reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)]);
        });
        foreach (var scenario in load.Scenarios)
        {
            long Class(char first) => scenario.Total.StatusCodes.Where(c => c.Key.Length == 3 && c.Key[0] == first).Sum(c => c.Value);
            var other = scenario.Total.StatusCodes.Where(c => c.Key.Length != 3 || !char.IsAsciiDigit(c.Key[0])).Sum(c => c.Value);
            rows.Add([$"runner: {scenario.Name}", "4xx / 5xx / no answer (timeouts, refused connections)", $"{Class('4')} / {Class('5')} / {other}"]);
        }

        return new ReportSection("Retries, redeliveries, duplicates, errors", "Counts over the run from each component's own figures.", ["component", "figure", "value"], rows);
    }

    private static long Number(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
