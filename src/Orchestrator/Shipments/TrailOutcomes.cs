using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>The outcome column of the trail.</summary>
internal static class TrailOutcomes
{
    public const string Applied = "applied";
    public const string Skipped = "skipped";
    public const string Stale = "stale";
    public const string Duplicate = "duplicate";

    public static string Rejected(RejectionReason reason) => reason == RejectionReason.NotOwner ? "rejected-not-owner" : "rejected-illegal";
}
