namespace LogisticsSync.Orchestrator.Exceptions;

/// <summary>SLA per exception type (time to resolve before it escalates), and how often escalation is checked.</summary>
internal sealed class ExceptionOptions
{
    public const string SectionName = "Exceptions";

    public Dictionary<string, TimeSpan> Sla { get; } = new(StringComparer.Ordinal)
    {
        [ExceptionTypes.ShipmentStuck.Name] = TimeSpan.FromHours(4),
        [ExceptionTypes.BookingDeferred.Name] = TimeSpan.FromHours(4),
        [ExceptionTypes.DeliveryLate.Name] = TimeSpan.FromHours(24),
        [ExceptionTypes.GoodsIssuePostingDelayed.Name] = TimeSpan.FromHours(8),
        [ExceptionTypes.InvoicePostingDelayed.Name] = TimeSpan.FromHours(8),
        [ExceptionTypes.ReconciliationDrift.Name] = TimeSpan.FromHours(4),
    };

    /// <summary>An open exception past its SLA goes one escalation level up, and gets the same SLA again.</summary>
    public TimeSpan EscalationInterval { get; set; } = TimeSpan.FromSeconds(30);
}
