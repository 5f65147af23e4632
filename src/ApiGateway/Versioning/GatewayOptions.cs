namespace LogisticsSync.ApiGateway.Versioning;

public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    public Dictionary<string, ApiVersionOptions> Versions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, ClientOptions> Clients { get; set; } = [];

    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;
}
