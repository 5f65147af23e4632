namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>Exception types opened and resolved by milestones' reactions.</summary>
internal sealed record ExceptionChanges(IReadOnlyList<string> Opened, IReadOnlyList<string> Resolved)
{
    public static readonly ExceptionChanges None = new([], []);

    public static ExceptionChanges Merge(IEnumerable<ExceptionChanges> changes)
    {
        var all = changes.ToList();
        return new([.. all.SelectMany(c => c.Opened)], [.. all.SelectMany(c => c.Resolved)]);
    }
}
