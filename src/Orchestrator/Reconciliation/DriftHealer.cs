using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Outbox;
using LogisticsSync.Orchestrator.Partners;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>What a heal did: whether the partner took it, and what it said.</summary>
internal sealed record HealResult(bool Done, string Detail);

/// <summary>
/// The heals reconciliation may run by itself (<see cref="Heal"/>): each a call the partner that owns the step takes
/// idempotently, so a heal repeated after a crash, or racing the flow that would have done the same, changes nothing twice.
/// </summary>
internal sealed class DriftHealer(ErpClient erp, IHttpClientFactory httpClients, ShipmentTransactions transactions, OutboxSignal outbox, TimeProvider time)
{
    public async Task<HealResult> HealAsync(Finding finding, ShipmentSnapshot shipment, CancellationToken cancellationToken)
    {
        try
        {
            return finding.Heal switch
            {
                Heal.ResendGoodsIssue => Posted(await erp.PostGoodsIssueAsync(shipment.Id, shipment.BusinessKey, shipment.GoodsIssue!.OccurredAt, cancellationToken), "goods issue"),
                Heal.ResendInvoice => Posted(await erp.PostInvoiceTriggerAsync(shipment.Id, shipment.BusinessKey, shipment.Invoice!.OccurredAt, cancellationToken), "invoice trigger"),
                Heal.ResendConfirmations => await AskAsync(PartnerRecordReader.Wms, $"/wms/api/orders/{Uri.EscapeDataString(shipment.BusinessKey)}/confirmations",
                    "the WMS sent its confirmations again", cancellationToken),
                Heal.PushTracking => await AskAsync(finding.Partner, $"/carrier/api/tracking/{Uri.EscapeDataString(shipment.TrackingNumber!)}/push",
                    "the carrier pushed its statuses again", cancellationToken),
                Heal.RepublishReleased => await RepublishReleasedAsync(shipment, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(finding), finding.Heal, "Not a heal."),
            };
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            return new HealResult(false, exception.Message);
        }
    }

    private static HealResult Posted(PostingAnswer answer, string what) =>
        new(true, $"{what} sent again: the ERP {(answer.PostedNow ? "posted" : "had posted")} {answer.Document}");

    private async Task<HealResult> AskAsync(string partner, string path, string done, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(PartnerRecordReader.HttpClientName);
        using var response = await http.PostAsync(new Uri(new Uri($"http://{partner}"), path), content: null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? new HealResult(true, $"{done}: {TmsClient.Truncate(body)}")
            : new HealResult(false, $"{partner} answered {(int)response.StatusCode}: {TmsClient.Truncate(body)}");
    }

    /// <summary>The released event again, through the outbox (a new event id: the WMS never had the first), with a trail row saying so.</summary>
    private async Task<HealResult> RepublishReleasedAsync(ShipmentSnapshot shipment, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var data = new ShipmentMilestoneEvent(shipment.Id, shipment.BusinessKey, shipment.SourceSystem, ShipmentMilestone.Released.EventName(), EstateSystem.Erp.ToString(),
            ShipmentState.Planned.ToString(), ShipmentState.Released.ToString(), [], 1, shipment.CreatedAt);
        var outgoing = CanonicalEvents.Create(shipment.Id, ShipmentMilestone.Released.CloudEventType(), shipment.BusinessKey, shipment.CorrelationId, now, data);
        await transactions.RunAsync(unit => unit.ExecuteAsync(
        [
            OutboxWriter.Command(outgoing),
            ShipmentTrail.Row(shipment.Id, outgoing.EventId.ToString(), ShipmentMilestone.Released.EventName(), EstateSystem.Orchestrator.ToString(), "republished",
                shipment.State.ToString(), null, "reconciliation: the WMS never received the released event; published again", shipment.CorrelationId, now),
        ], cancellationToken), cancellationToken);
        outbox.Notify();
        return new HealResult(true, $"released event published again as {outgoing.EventId}");
    }
}
