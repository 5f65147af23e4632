namespace LogisticsSync.Hosting.Chaos;

public enum LinkFaultMode
{
    /// <summary>Bytes pass as they come.</summary>
    None,

    /// <summary>Every chunk waits <see cref="LinkFault.LatencyMs"/> plus up to <see cref="LinkFault.JitterMs"/> more, each way.</summary>
    Latency,

    /// <summary>Each direction passes at most <see cref="LinkFault.BytesPerSecond"/>.</summary>
    Bandwidth,

    /// <summary>Connections are accepted and data is swallowed; nothing ever answers (a firewall dropping packets).</summary>
    Blackhole,

    /// <summary>Open connections and new ones are reset (RST).</summary>
    Reset,

    /// <summary>The port stops listening: connecting is refused.</summary>
    Refuse,
}

/// <summary>How a proxied link misbehaves now (set through the control API: <c>PUT /api/chaos/links/{service}/{reference}</c>).</summary>
public sealed record LinkFault(LinkFaultMode Mode, int LatencyMs = 0, int JitterMs = 0, int BytesPerSecond = 0)
{
    public static readonly LinkFault None = new(LinkFaultMode.None);
}
