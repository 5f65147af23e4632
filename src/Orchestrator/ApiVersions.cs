namespace LogisticsSync.Orchestrator;

/// <summary>The API versions the orchestrator serves; the gateway decides which of them partners may use.</summary>
internal static class ApiVersions
{
    public const string V1 = "v1";
    public const string V2 = "v2";

    public static readonly string[] All = [V1, V2];
}
