using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Outbox;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Npgsql;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// One transaction of shipment writes: it owns the connection and the transaction, and what must happen only once
/// they committed (milestone and exception metrics, the outbox dispatcher's wake-up, a caller's own counters).
/// Everything a flow writes (milestones, tasks, tenders, exceptions, trail rows) goes through it; disposed without
/// <see cref="CommitAsync"/> it rolls back and runs none of the after-commit actions.
/// </summary>
internal sealed class ShipmentUnitOfWork(
    NpgsqlConnection connection,
    NpgsqlTransaction transaction,
    MilestoneApplier applier,
    ShipmentMetrics shipmentMetrics,
    ExceptionMetrics exceptionMetrics,
    OutboxSignal outboxSignal) : IAsyncDisposable
{
    private readonly List<Action> _afterCommit = [];
    private readonly HashSet<Guid> _mayClose = [];
    private bool _wakeOutbox;

    /// <summary>For stores that add their own commands (a task's fenced update, a tender); commit through this unit.</summary>
    public NpgsqlTransaction Transaction => transaction;

    /// <summary>Applies one milestone through the transition table; null when no shipment has the id.</summary>
    public async Task<MilestoneOutcome?> ApplyAsync(Guid shipmentId, IncomingMilestone milestone, CancellationToken cancellationToken)
    {
        var (outcome, exceptions) = await applier.ApplyAsync(transaction, shipmentId, milestone, cancellationToken);
        Recorded([outcome], exceptions);
        return outcome;
    }

    /// <summary>Applies milestones deduped through the consumer's inbox; one outcome per milestone, null where no shipment has the key (yet).</summary>
    public async Task<IReadOnlyList<MilestoneOutcome?>> ApplyBatchAsync(IReadOnlyList<KeyedMilestone> milestones, string inboxConsumer, CancellationToken cancellationToken)
    {
        var (outcomes, exceptions) = await applier.ApplyBatchAsync(transaction, milestones, inboxConsumer, cancellationToken);
        Recorded(outcomes, exceptions);
        return outcomes;
    }

    /// <summary>Runs commands (as the stores hand them out) in one batch; returns the rows they affected.</summary>
    public async Task<int> ExecuteAsync(IEnumerable<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<int> ExecuteAsync(NpgsqlBatchCommand command, CancellationToken cancellationToken) => ExecuteAsync([command], cancellationToken);

    /// <summary>Opens the exception unless one of its type is open for the shipment; true (and counted once committed) when it opened one.</summary>
    public async Task<bool> OpenExceptionAsync(NpgsqlBatchCommand open, ExceptionType type, CancellationToken cancellationToken)
    {
        var opened = await ExecuteAsync(open, cancellationToken) == 1;
        if (opened)
        {
            AfterCommit(() => exceptionMetrics.Opened([type.Name]));
        }

        return opened;
    }

    /// <summary>Resolves the shipment's open exception of the type, if there is one; true (and counted once committed) when there was.</summary>
    public async Task<bool> ResolveExceptionAsync(NpgsqlBatchCommand resolve, ExceptionType type, CancellationToken cancellationToken)
    {
        var resolved = await ExecuteAsync(resolve, cancellationToken) == 1;
        if (resolved)
        {
            AfterCommit(() => exceptionMetrics.Resolved(type.Name, automatically: true));
        }

        return resolved;
    }

    /// <summary>
    /// The shipment may have nothing open any more (an exception of its resolved): it closes as this unit commits if it
    /// is invoiced and nothing is open. Shipments that entered Invoiced in this unit are checked without being named.
    /// </summary>
    public void MayClose(Guid shipmentId) => _mayClose.Add(shipmentId);

    /// <summary>Runs <paramref name="action"/> once this unit committed (never when it rolled back).</summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);

    /// <summary>Records what applying milestones did, for after the commit: the counts, and the outbox wake-up when one was applied.</summary>
    internal void Recorded(IEnumerable<MilestoneOutcome?> outcomes, ExceptionChanges exceptions)
    {
        foreach (var outcome in outcomes.OfType<MilestoneOutcome>())
        {
            AfterCommit(() => shipmentMetrics.Milestone(outcome));
            _wakeOutbox |= outcome.Decision is LifecycleDecision.Applied;
            if (outcome.Decision is LifecycleDecision.Applied applied && outcome.Shipment.State == applied.To
                && ShipmentLifecycle.Reactions.Any(r => r.Then == SideEffect.CloseIfNothingOpen && r.Trigger.Entering == applied.To))
            {
                _mayClose.Add(outcome.Shipment.Id);
            }
        }

        if (exceptions.Opened.Count > 0)
        {
            AfterCommit(() => exceptionMetrics.Opened(exceptions.Opened));
        }

        foreach (var type in exceptions.Resolved)
        {
            AfterCommit(() => exceptionMetrics.Resolved(type, automatically: true));
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_mayClose.Count > 0)
        {
            // Last, so that it sees every write of this unit (the invoice's posting-delayed exception resolved after Invoiced).
            var candidates = _mayClose.ToList();
            _mayClose.Clear();
            var (outcomes, exceptions) = await ShipmentClosure.CloseSettledAsync(transaction, applier, candidates, applier.Now, cancellationToken);
            Recorded(outcomes, ExceptionChanges.Merge(exceptions));
        }

        await transaction.CommitAsync(cancellationToken);
        _afterCommit.ForEach(action => action());
        _afterCommit.Clear();
        if (_wakeOutbox)
        {
            outboxSignal.Notify();
        }
    }

    /// <summary>Rolls back now (the connection is still held until disposed); nothing recorded so far runs after a commit.</summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        _afterCommit.Clear();
        _mayClose.Clear();
        _wakeOutbox = false;
        await transaction.RollbackAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
