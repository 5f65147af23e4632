namespace LogisticsSync.ServiceDefaults;

/// <summary>
/// The partner a request came from, as the gateway authenticated it (its API key's client id), forwarded
/// to the services behind it, which scope per-client state (idempotency keys) by it. The gateway always
/// overwrites what a caller sent under this name.
/// </summary>
public static class ForwardedClient
{
    public const string HeaderName = "X-Client-Id";

    /// <summary>Who sent a request that did not come through the gateway (tests, the estate's own tools).</summary>
    public const string Internal = "internal";
}
