namespace LogisticsSync.Load.Chaos.Invariants;

/// <summary>One order as the ERP's ledger knows it (<c>GET /erp/releases</c>).</summary>
public sealed record ErpOrder(string BusinessKey, string Status, Guid? ShipmentId);

/// <summary>
/// One shipment as the orchestrator's database holds it, with the open exceptions that say why it is not settled; and,
/// for a report on one that is neither, how long since its row last changed and its partner work not done yet (kind,
/// who holds it, when due): a recent change means a slow flow, an old one with work leased far ahead a stalled one.
/// </summary>
public sealed record ShipmentRow(string BusinessKey, Guid Id, string State, IReadOnlyList<string> OpenExceptions, TimeSpan? SinceLastChange = null, string? PendingWork = null);

/// <summary>One ERP document (goods issue or invoice) for a business key.</summary>
public sealed record Posting(string Kind, string BusinessKey, string Document);

/// <summary>A message the orchestrator gave up on, with its reason.</summary>
public sealed record DeadLetter(long Id, string? EventId, string RoutingKey, string Reason);

/// <summary>
/// What the systems of record say after the run settled: the ERP's orders and postings (every document seen while
/// the run lasted, so a document lost in an ERP restart still counts), the orchestrator's shipments, repeated
/// effects in its trail, its outbox, the broker's queues and the dead letters of the run.
/// </summary>
public sealed record Records(
    IReadOnlyList<ErpOrder> Orders,
    IReadOnlyList<ShipmentRow> Shipments,
    IReadOnlyList<Posting> Postings,
    IReadOnlyList<string> MilestonesAppliedTwice,
    long OutboxUnsent,
    IReadOnlyDictionary<string, long> QueueDepths,
    IReadOnlyList<DeadLetter> DeadLetters);
