using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.Load.Scenarios.Estate;

/// <summary>
/// The orchestrator's own view of the run: per-stage workflow latency (release → packed → booked → delivered →
/// invoiced) of the shipments released since the run began, read through the gateway after the run, so the report
/// shows how long the business process took next to how long the client's requests took.
/// </summary>
internal static class WorkflowLatencySection
{
    public static async Task<ReportSection> ReadAsync(Uri gateway, string apiKey, DateTimeOffset since, CancellationToken cancellationToken)
    {
        const string title = "Workflow latency (orchestrator, per stage)";
        using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        JsonElement report;
        try
        {
            report = await client.GetFromJsonAsync<JsonElement>(
                $"/api/v1/estate/workflow-latency?since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}", cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or TaskCanceledException)
        {
            return new ReportSection(title, $"Not available from this estate: {exception.Message}", ["stage"], []);
        }

        var rows = report.GetProperty("stages").EnumerateArray().Select(stage => (IReadOnlyList<string>)
        [
            stage.GetProperty("stage").GetString()!,
            stage.GetProperty("shipments").GetInt64().ToString("N0", CultureInfo.InvariantCulture),
            Milliseconds(stage, "p50Ms"), Milliseconds(stage, "p90Ms"), Milliseconds(stage, "p99Ms"), Milliseconds(stage, "maxMs"),
        ]).ToList();
        return new ReportSection(title,
            $"From the orchestrator's event trail, for the {report.GetProperty("shipmentsReleased").GetInt64():N0} shipments released since {since:HH:mm:ss} UTC: " +
            "a stage runs from the first trail row that reached its start state to the first that reached its end state (forward jumps count). " +
            "Stages still under way at the end of the run are not counted, so short runs show the early stages only.",
            ["stage", "shipments", "p50", "p90", "p99", "max"], rows);
    }

    private static string Milliseconds(JsonElement stage, string name) =>
        stage.GetProperty(name) is { ValueKind: JsonValueKind.Number } value
            ? value.GetDouble() >= 10_000
                ? $"{value.GetDouble() / 1000:0.0} s"
                : $"{value.GetDouble():0.0} ms"
            : "–";
}
