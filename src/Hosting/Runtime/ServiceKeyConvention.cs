namespace LogisticsSync.Hosting.Runtime;

/// <summary>
/// The estate's internal credential: one key per state folder (kept in <c>secrets.json</c>, so it survives restarts),
/// given to every project, which sends it on every call and requires it on its internal APIs. The names are a contract
/// with the services' defaults (<c>ServiceKey.ConfigurationKey</c>, <c>ProtocolHeaders.ServiceKey</c>), pinned by a test.
/// </summary>
public static class ServiceKeyConvention
{
    public const string EnvironmentVariable = "Estate__ServiceKey";

    public const string HeaderName = "X-Service-Key";

    internal const string SecretName = "service-key";
}
