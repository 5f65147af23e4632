namespace LogisticsSync.Orchestrator.Retention;

public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>How often each replica sweeps.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long published outbox rows stay, for audit and for replaying an event by hand.</summary>
    public TimeSpan PublishedOutbox { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the inbox remembers an event id. Past it a redelivery would be decided again; the
    /// transition table then finds it stale (state never moves backwards), so keep it well beyond any
    /// partner's retry horizon rather than forever.
    /// </summary>
    public TimeSpan Inbox { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Rows per delete statement: short transactions that never hold the tables for long.</summary>
    public int ChunkSize { get; set; } = 5_000;
}
