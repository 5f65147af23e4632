using System.Text.Json;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>A reconciliation run as the API shows it (<c>GET /api/v1/reconciliation/runs</c>).</summary>
public sealed record ReconciliationRun(
    Guid Id,
    string Trigger,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int Shipments,
    int Findings,
    int Healed,
    int Exceptions,
    IReadOnlyList<string> Unavailable,
    double? DurationMs)
{
    public IReadOnlyDictionary<string, string> Links => new Dictionary<string, string> { ["self"] = $"/api/v1/reconciliation/runs/{Id}" };
}

/// <summary>One finding of a run: both sides, the evidence as read, and what the run did about it.</summary>
public sealed record ReconciliationFinding(
    long Id,
    Guid ShipmentId,
    string BusinessKey,
    string Partner,
    string Subject,
    string Drift,
    string Ours,
    string Theirs,
    JsonElement Evidence,
    string Action,
    string? ActionDetail,
    DateTimeOffset RecordedAt);

/// <summary>A run with its findings (<c>GET /api/v1/reconciliation/runs/{id}</c>).</summary>
public sealed record ReconciliationRunDetail(ReconciliationRun Run, IReadOnlyList<ReconciliationFinding> Findings);

/// <summary>A finding with what the run did about it, ready to store.</summary>
internal sealed record FindingOutcome(Finding Finding, string Action, string? Detail);

internal static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";

    /// <summary>Completed, but some partner could not be read: its comparisons were skipped.</summary>
    public const string Partial = "partial";
    public const string Failed = "failed";
}

internal static class RunTriggers
{
    public const string Scheduled = "scheduled";
    public const string OnDemand = "on-demand";
}
