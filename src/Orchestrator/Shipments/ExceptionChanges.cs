namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>Exception types opened and resolved by milestones' reactions.</summary>
internal sealed record ExceptionChanges(IReadOnlyList<string> Opened, IReadOnlyList<string> Resolved)
{
    public static readonly ExceptionChanges None = new([], []);
}
