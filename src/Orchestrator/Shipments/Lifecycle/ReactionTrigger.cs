namespace LogisticsSync.Orchestrator.Shipments.Lifecycle;

/// <summary>Which applied milestones a reaction follows: those entering a state, those of a kind, or those a system reported.</summary>
public sealed record ReactionTrigger(ShipmentState? Entering = null, ShipmentMilestone? Milestone = null, EstateSystem? ReportedBy = null)
{
    public bool Matches(ShipmentState to, ShipmentMilestone milestone, EstateSystem source) =>
        (Entering is null || Entering == to) && (Milestone is null || Milestone == milestone) && (ReportedBy is null || ReportedBy == source);

    public override string ToString() => Entering is null && Milestone is null && ReportedBy is null ? "any milestone applied" : string.Join(" and ", new[]
    {
        Entering is { } state ? $"entering {state}" : null,
        Milestone is { } milestone ? $"{milestone} applied" : null,
        ReportedBy is { } system ? $"any milestone from {system} applied" : null,
    }.OfType<string>());
}

/// <summary>The triggers, named to read like the transition table: <c>When.Entering(Packed)</c>.</summary>
public static class When
{
    public static ReactionTrigger Entering(ShipmentState state) => new(Entering: state);

    public static ReactionTrigger Applied(ShipmentMilestone milestone) => new(Milestone: milestone);

    public static ReactionTrigger ReportedBy(EstateSystem system) => new(ReportedBy: system);

    public static ReactionTrigger AnyMilestone() => new();
}

/// <summary>One row of the reactions table: when <paramref name="Trigger"/>, then <paramref name="Then"/>, for the reason given.</summary>
public sealed record TransitionReaction(ReactionTrigger Trigger, SideEffect Then, string Why);
