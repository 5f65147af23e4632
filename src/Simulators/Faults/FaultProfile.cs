namespace LogisticsSync.Simulators.Faults;

/// <summary>
/// How badly a simulated system behaves, from the section <c>Simulator:Faults</c> at start and from
/// <c>PUT /admin/faults</c> at run time. Rates are probabilities from 0 to 1, decided per order (or per
/// request) from the seed, so the same seed gives the same faults. Each knob says which roles honour it.
/// </summary>
public sealed class FaultProfile
{
    public const string SectionName = "Simulator:Faults";

    /// <summary>
    /// Real milliseconds added before every call or message the system sends (all roles: ERP releases, WMS
    /// confirmations, TMS and carrier API answers, carrier webhooks).
    /// </summary>
    public int LatencyMs { get; set; }

    /// <summary>Up to this many more milliseconds, drawn per call (all roles).</summary>
    public int LatencyJitterMs { get; set; }

    /// <summary>
    /// ERP: the share of release attempts whose response is lost on the way back. The gateway has done the
    /// work, the ERP waits out its attempt timeout and retries under the same Idempotency-Key.
    /// </summary>
    public double TimeoutRate { get; set; }

    /// <summary>
    /// The system is down: the ERP releases nothing, the WMS confirms nothing (work waits, none is lost),
    /// and the system's own API answers 503 (ERP system API, TMS API, carrier booking API). A carrier's
    /// trucks keep driving: journeys and their webhooks go on.
    /// </summary>
    public bool Outage { get; set; }

    /// <summary>System API (ERP): a planned maintenance window; every call is 503 with <c>Retry-After</c>, nothing is recorded.</summary>
    public bool Maintenance { get; set; }

    /// <summary>
    /// System API: the share of calls failing without being recorded: ERP and carrier booking API 500,
    /// TMS 503 (its contract's "error share").
    /// </summary>
    public double ErrorRate { get; set; }

    /// <summary>System API (ERP, TMS, carrier booking API): calls per second before 429 with <c>Retry-After</c>; 0 is unlimited.</summary>
    public int RateLimitPerSecond { get; set; }

    /// <summary>
    /// ERP: the share of released orders sent once more under the same Idempotency-Key (a resend after
    /// success). WMS: the share of confirmations published twice with the same event id (a redelivery).
    /// Carriers: the share of webhooks sent twice: half of them again under the same <c>webhook-id</c>
    /// (a retry after a lost answer), half under a new one with the same event id (a resend as a new message).
    /// </summary>
    public double DuplicateRate { get; set; }

    /// <summary>
    /// WMS: the share of orders whose last two confirmations are published in reverse order. Carriers: the share
    /// of journeys in which one status webhook is held back and sent after the next one.
    /// </summary>
    public double ReorderRate { get; set; }

    /// <summary>WMS: the share of orders picked short (<c>short-picked</c> instead of <c>picked</c>, then packed as is).</summary>
    public double ShortPickRate { get; set; }

    /// <summary>WMS: the share of orders whose pick confirmation comes hours late (Simulator:Wms:LateConfirmation).</summary>
    public double LateConfirmationRate { get; set; }

    /// <summary>WMS: the share of order lines picked from two locations and packed as two packages (reported in the pack confirmation).</summary>
    public double SplitLineRate { get; set; }

    /// <summary>WMS: the share of order lines with a unit found damaged at picking: quarantined, the order short-picked.</summary>
    public double DamagedLineRate { get; set; }

    /// <summary>Carriers: the share of tenders the booking API rejects (422 with a reason: capacity, weight, lane).</summary>
    public double TenderRejectionRate { get; set; }

    /// <summary>Carriers: the share of journeys with a <c>DELAYED</c> status and a revised ETA; half of those past the promise date.</summary>
    public double DelayRate { get; set; }

    /// <summary>Carriers: the share of journeys whose first delivery attempt fails (delivered on the next day's round).</summary>
    public double FailedAttemptRate { get; set; }

    /// <summary>Carriers: the share of status webhooks followed by a storm: a burst of resends of the journey's earlier webhooks.</summary>
    public double StormRate { get; set; }

    /// <summary>
    /// Carriers: seconds the carrier's clock is off (positive: ahead). Webhooks are signed with the skewed time, so a
    /// skew beyond the gateway's replay window makes it refuse them: a chaos run's "carrier with a wrong clock".
    /// </summary>
    public int ClockSkewSeconds { get; set; }

    /// <summary>
    /// ERP, silent loss: the share of invoice triggers the ERP accepts (201 with a document number) but never posts.
    /// Only a business key's first trigger can be lost: a trigger sent again (reconciliation's heal) is posted.
    /// </summary>
    public double LostInvoiceRate { get; set; }

    /// <summary>
    /// WMS, silent loss: the share of orders the WMS works (its own record shows them allocated, picked, packed) but
    /// whose confirmations it never publishes, until someone asks it to send them again (<c>POST /wms/api/orders/{key}/confirmations</c>).
    /// </summary>
    public double LostConfirmationRate { get; set; }

    /// <summary>
    /// Carriers, silent loss: the share of status webhooks never sent (drawn per status). The carrier's tracking record
    /// has the status; asking it to push its statuses again (<c>POST /carrier/api/tracking/{trackingNumber}/push</c>) sends it.
    /// </summary>
    public double LostStatusRate { get; set; }

    public FaultProfile Clone() => (FaultProfile)MemberwiseClone();

    /// <summary>Every knob onto <paramref name="target"/> (options are bound into an instance the framework owns).</summary>
    internal void CopyTo(FaultProfile target)
    {
        target.LatencyMs = LatencyMs;
        target.LatencyJitterMs = LatencyJitterMs;
        target.TimeoutRate = TimeoutRate;
        target.Outage = Outage;
        target.Maintenance = Maintenance;
        target.ErrorRate = ErrorRate;
        target.RateLimitPerSecond = RateLimitPerSecond;
        target.DuplicateRate = DuplicateRate;
        target.ReorderRate = ReorderRate;
        target.ShortPickRate = ShortPickRate;
        target.LateConfirmationRate = LateConfirmationRate;
        target.SplitLineRate = SplitLineRate;
        target.DamagedLineRate = DamagedLineRate;
        target.TenderRejectionRate = TenderRejectionRate;
        target.DelayRate = DelayRate;
        target.FailedAttemptRate = FailedAttemptRate;
        target.StormRate = StormRate;
        target.ClockSkewSeconds = ClockSkewSeconds;
        target.LostInvoiceRate = LostInvoiceRate;
        target.LostConfirmationRate = LostConfirmationRate;
        target.LostStatusRate = LostStatusRate;
    }
}
