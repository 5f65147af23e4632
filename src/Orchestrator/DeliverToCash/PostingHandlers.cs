using System.Diagnostics.Metrics;
using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Partners;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Work;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Orchestrator.DeliverToCash;

/// <summary>
/// Deliver-to-cash (docs/flows.md): the goods issue on the first carrier milestone, the invoice trigger on proof
/// of delivery (only once the goods issue is posted), both to the ERP's system API. A posting the ERP cannot take
/// now (maintenance 503, 429, 500, down, circuit open) is buffered: the task stays parked with back-off (at least
/// the ERP's Retry-After), and once it has failed for longer than <see cref="PartnerWorkOptions.PostingDelayedAfter"/>
/// a posting-delayed exception is open until it is posted. The ERP is idempotent per business key, so a repeat after
/// a lost answer posts nothing twice; the invoice's Invoiced milestone commits with the task's completion.
/// </summary>
internal abstract partial class PostingHandler(
    ShipmentTransactions transactions,
    ShipmentReads shipments,
    PartnerTaskStore tasks,
    ExceptionRecords exceptionRecords,
    PostingMetrics metrics,
    IOptionsMonitor<PartnerWorkOptions> options,
    TimeProvider time,
    ILogger logger) : IPartnerTaskHandler
{
    public abstract string Kind { get; }

    protected abstract ExceptionType DelayedException { get; }

    protected PartnerTaskStore Tasks => tasks;

    protected TimeProvider Time => time;

    /// <summary>Posts to the ERP; throws <see cref="PartnerUnavailableException"/> when it cannot take it now.</summary>
    protected abstract Task<PostingAnswer> PostAsync(Shipment shipment, ClaimedTask task, CancellationToken cancellationToken);

    /// <summary>What else commits with the completed task (the Invoiced milestone); null when nothing.</summary>
    protected virtual Task RecordPostedAsync(ShipmentUnitOfWork unit, Shipment shipment, PostingAnswer answer, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>A reason to wait that is not a failure (the invoice waits for its goods issue) and until when; null to post now.</summary>
    protected virtual Task<(string Reason, DateTimeOffset Until)?> WaitForAsync(Shipment shipment, CancellationToken cancellationToken) =>
        Task.FromResult<(string, DateTimeOffset)?>(null);

    public async Task HandleAsync(ClaimedTask task, CancellationToken cancellationToken)
    {
        var shipment = await shipments.FindAsync(task.ShipmentId, cancellationToken)
            ?? throw new InvalidOperationException($"Task {task.Id} names shipment {task.ShipmentId}, which does not exist.");
        if (await WaitForAsync(shipment, cancellationToken) is var (waitingFor, until))
        {
            // Not before the work it waits for is tried again: a goods issue parked through an ERP outage
            // should not have its invoice claimed every poll meanwhile.
            var dueAt = Max(until, time.GetUtcNow()) + options.CurrentValue.PollInterval;
            await transactions.RunAsync(unit => tasks.RescheduleAsync(unit.Transaction, task, dueAt, error: null, cancellationToken), cancellationToken);
            LogWaiting(Kind, shipment.BusinessKey, waitingFor);
            return;
        }

        PostingAnswer answer;
        try
        {
            answer = await PostAsync(shipment, task, cancellationToken);
        }
        catch (PartnerUnavailableException unavailable)
        {
            await ParkAsync(task, shipment, unavailable, cancellationToken);
            return;
        }

        await transactions.RunAsync(async unit =>
        {
            await RecordPostedAsync(unit, shipment, answer, cancellationToken);
            await unit.ResolveExceptionAsync(exceptionRecords.Resolve(shipment.Id, DelayedException,
                $"posted to the ERP{(answer.Document is null ? "" : $" as {answer.Document}")}{(answer.PostedNow ? "" : " (posted before: a repeat)")}"),
                DelayedException, cancellationToken);
            await tasks.CompleteAsync(unit.Transaction, task, answer.PostedNow ? $"posted {answer.Document}" : $"posted before {answer.Document}", cancellationToken);
        }, cancellationToken);

        metrics.Posted(Kind, answer.PostedNow);
        LogPosted(Kind, shipment.BusinessKey, answer.Document, answer.PostedNow);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private async Task ParkAsync(ClaimedTask task, Shipment shipment, PartnerUnavailableException unavailable, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var now = time.GetUtcNow();
        var delay = Backoff.Delay(task.Failures + 1, current.RetryDelay, current.MaxRetryDelay, Random.Shared);
        if (unavailable.RetryAfter > delay)
        {
            delay = unavailable.RetryAfter.Value;
        }

        var failingSince = task.FailingSince ?? now;
        var detail = $"the ERP could not take the {Kind} since {failingSince:O} ({task.Failures + 1} attempts); last: {unavailable.Message}; next attempt at {now + delay:O}";
        await transactions.RunAsync(async unit =>
        {
            if (now - failingSince >= current.PostingDelayedAfter
                && !await unit.OpenExceptionAsync(exceptionRecords.Open(shipment.Id, shipment.BusinessKey, DelayedException, detail), DelayedException, cancellationToken))
            {
                await unit.ExecuteAsync(ExceptionRecords.Refresh(shipment.Id, DelayedException, detail), cancellationToken);
            }

            await tasks.RescheduleAsync(unit.Transaction, task, now + delay, unavailable.Message, cancellationToken);
        }, cancellationToken);

        metrics.Buffered(Kind);
        LogBuffered(Kind, shipment.BusinessKey, unavailable.Message, now + delay);
    }

    [LoggerMessage(EventId = LogEventIds.PostingHandlersPosted, Level = LogLevel.Information, Message = "{Kind} of {BusinessKey} posted to the ERP as {Document} (new: {PostedNow})")]
    private partial void LogPosted(string kind, string businessKey, string? document, bool postedNow);

    [LoggerMessage(EventId = LogEventIds.PostingHandlersBuffered, Level = LogLevel.Warning, Message = "{Kind} of {BusinessKey} buffered: {Reason}; next attempt at {DueAt}")]
    private partial void LogBuffered(string kind, string businessKey, string reason, DateTimeOffset dueAt);

    [LoggerMessage(EventId = LogEventIds.PostingHandlersWaiting, Level = LogLevel.Information, Message = "{Kind} of {BusinessKey} waits: {Reason}")]
    private partial void LogWaiting(string kind, string businessKey, string reason);
}

internal sealed class GoodsIssueHandler(
    ShipmentTransactions transactions, ShipmentReads shipments, PartnerTaskStore tasks, ExceptionRecords exceptionRecords,
    PostingMetrics metrics, ErpClient erp, IOptionsMonitor<PartnerWorkOptions> options, TimeProvider time, ILogger<GoodsIssueHandler> logger)
    : PostingHandler(transactions, shipments, tasks, exceptionRecords, metrics, options, time, logger)
{
    public override string Kind => TaskKinds.GoodsIssue;

    protected override ExceptionType DelayedException => ExceptionTypes.GoodsIssuePostingDelayed;

    protected override Task<PostingAnswer> PostAsync(Shipment shipment, ClaimedTask task, CancellationToken cancellationToken) =>
        erp.PostGoodsIssueAsync(shipment.Id, shipment.BusinessKey, task.OccurredAt, cancellationToken);
}

internal sealed class InvoiceHandler(
    ShipmentTransactions transactions, ShipmentReads shipments, PartnerTaskStore tasks, ExceptionRecords exceptionRecords,
    PostingMetrics metrics, ErpClient erp, IOptionsMonitor<PartnerWorkOptions> options, TimeProvider time, ILogger<InvoiceHandler> logger)
    : PostingHandler(transactions, shipments, tasks, exceptionRecords, metrics, options, time, logger)
{

    public override string Kind => TaskKinds.Invoice;

    protected override ExceptionType DelayedException => ExceptionTypes.InvoicePostingDelayed;

    protected override async Task<(string Reason, DateTimeOffset Until)?> WaitForAsync(Shipment shipment, CancellationToken cancellationToken) =>
        await Tasks.PendingUntilAsync(shipment.Id, TaskKinds.GoodsIssue, cancellationToken) is { } goodsIssueDue
            ? ("the goods issue is not posted yet", goodsIssueDue)
            : null;

    protected override Task<PostingAnswer> PostAsync(Shipment shipment, ClaimedTask task, CancellationToken cancellationToken) =>
        erp.PostInvoiceTriggerAsync(shipment.Id, shipment.BusinessKey, task.OccurredAt, cancellationToken);

    /// <summary>Invoiced is the ERP speaking (it owns the transition), recorded with the task's completion.</summary>
    protected override Task RecordPostedAsync(ShipmentUnitOfWork unit, Shipment shipment, PostingAnswer answer, CancellationToken cancellationToken) =>
        unit.ApplyAsync(shipment.Id, new IncomingMilestone(
            $"invoice:{shipment.Id}", ShipmentMilestone.Invoiced, EstateSystem.Erp, shipment.CorrelationId, Time.GetUtcNow(),
            $"invoice trigger posted to the ERP{(answer.Document is null ? "" : $" as {answer.Document}")}"), cancellationToken);
}

/// <summary>Postings to the ERP as counters: posted (new or repeat) and buffered attempts, by kind.</summary>
internal sealed class PostingMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _posted = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.erp.postings", description: "Goods issues and invoice triggers the ERP took, by kind and whether it was new");

    private readonly Counter<long> _buffered = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.erp.postings_buffered", description: "Posting attempts the ERP could not take (parked for a retry), by kind");

    public void Posted(string kind, bool postedNow) =>
        _posted.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("new", postedNow));

    public void Buffered(string kind) => _buffered.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
