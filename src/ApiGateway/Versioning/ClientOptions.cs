namespace LogisticsSync.ApiGateway.Versioning;

public sealed class ClientOptions
{
    /// <summary>SHA-256 of the API key, hex: the key itself is never stored.</summary>
    public string KeySha256 { get; set; } = "";

    public List<string> Scopes { get; set; } = [];

    /// <summary>The throttling tier (<c>Gateway:Throttling:Tiers</c>); null for the default tier.</summary>
    public string? Tier { get; set; }
}
