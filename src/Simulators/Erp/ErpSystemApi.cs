using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Telemetry;

namespace LogisticsSync.Simulators.Erp;

/// <summary>A posting trigger from the orchestrator: which shipment, when it happened.</summary>
internal sealed record PostingTrigger(Guid? ShipmentId, string? BusinessKey, DateTimeOffset? OccurredAt) : IFaultSubject
{
    public string? FaultSubject => BusinessKey;
}

/// <summary>
/// The ERP's system API, called by the orchestrator (deliver-to-cash): goods issue and invoice triggers, and the
/// documents per order for reconciliation. Every trigger meets the ERP's fault profile first (maintenance windows,
/// outages, rate limit, errors); a call that gets through is recorded once per shipment however often it is repeated.
/// </summary>
internal static class ErpSystemApi
{
    public static IEndpointRouteBuilder MapErpSystemApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/erp/api").WithTags("ERP system API");
        var triggers = api.MapGroup("").AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<SystemApiFaults>().InvokeAsync(context, next));
        triggers.MapPost("/goods-issues", (PostingTrigger trigger, PostingJournal journal) => Post(PostingKind.GoodsIssue, trigger, journal, () => false));
        triggers.MapPost("/invoice-triggers", (PostingTrigger trigger, PostingJournal journal, FaultInjector faults, SimulatorMetrics metrics) =>
            Post(PostingKind.Invoice, trigger, journal, () => LoseInvoice(trigger.BusinessKey!, faults, metrics)));
        api.MapGet("/goods-issues", (PostingJournal journal) => TypedResults.Ok(journal.Report(PostingKind.GoodsIssue)));
        api.MapGet("/invoice-triggers", (PostingJournal journal) => TypedResults.Ok(journal.Report(PostingKind.Invoice)));
        ErpDocuments.Map(api);
        return endpoints;
    }

    private static bool LoseInvoice(string businessKey, FaultInjector faults, SimulatorMetrics metrics)
    {
        var lost = faults.Happens(faults.Current.LostInvoiceRate, "erp.lost-invoice", businessKey);
        if (lost)
        {
            metrics.FaultInjected("lost-invoice");
        }

        return lost;
    }

    private static IResult Post(PostingKind kind, PostingTrigger trigger, PostingJournal journal, Func<bool> lose)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(trigger.BusinessKey))
        {
            errors["businessKey"] = ["is required (the ERP order number)."];
        }

        if (trigger.ShipmentId is null || trigger.ShipmentId == Guid.Empty)
        {
            errors["shipmentId"] = ["is required."];
        }

        if (trigger.OccurredAt is null)
        {
            errors["occurredAt"] = ["is required (ISO 8601 with offset)."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: $"The {kind} trigger is invalid");
        }

        var (document, posted) = journal.Post(kind, trigger.BusinessKey!, trigger.ShipmentId!.Value, trigger.OccurredAt!.Value, lose);
        return posted
            ? TypedResults.Created($"/erp/api/documents/{document.Document}", document)
            : TypedResults.Ok(document);
    }
}
