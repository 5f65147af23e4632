namespace LogisticsSync.Simulators.Faults;

/// <summary>
/// How badly a simulated system behaves, from the section <c>Simulator:Faults</c> at start and from
/// <c>PUT /admin/faults</c> at run time. Rates are probabilities from 0 to 1, decided per order (or per
/// request) from the seed, so the same seed gives the same faults. Each knob says which roles honour it.
/// </summary>
public sealed class FaultProfile
{
    public const string SectionName = "Simulator:Faults";

    /// <summary>Real milliseconds added before every call or message the system sends (all roles).</summary>
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
    /// and the system's own API answers 503.
    /// </summary>
    public bool Outage { get; set; }

    /// <summary>System API (ERP): a planned maintenance window; every call is 503 with <c>Retry-After</c>, nothing is recorded.</summary>
    public bool Maintenance { get; set; }

    /// <summary>System API (ERP): the share of calls answered 500 without being recorded.</summary>
    public double ErrorRate { get; set; }

    /// <summary>System API (ERP): calls per second before 429 with <c>Retry-After</c>; 0 is unlimited.</summary>
    public int RateLimitPerSecond { get; set; }

    /// <summary>
    /// ERP: the share of released orders sent once more under the same Idempotency-Key (a resend after
    /// success). WMS: the share of confirmations published twice with the same event id (a redelivery).
    /// </summary>
    public double DuplicateRate { get; set; }

    /// <summary>WMS: the share of orders whose last two confirmations are published in reverse order.</summary>
    public double ReorderRate { get; set; }

    /// <summary>WMS: the share of orders picked short (<c>short-picked</c> instead of <c>picked</c>, then packed as is).</summary>
    public double ShortPickRate { get; set; }

    /// <summary>WMS: the share of orders whose pick confirmation comes hours late (Simulator:Wms:LateConfirmation).</summary>
    public double LateConfirmationRate { get; set; }

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
    }
}
