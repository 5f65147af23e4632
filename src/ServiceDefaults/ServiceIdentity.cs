using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LogisticsSync.ServiceDefaults;

/// <summary>
/// Who this process is in the estate: the service name and the replica's instance id, taken from the
/// OpenTelemetry variables the AppHost injects so logs, traces and API answers all agree.
/// </summary>
public sealed class ServiceIdentity
{
    private const string InstanceIdAttribute = "service.instance.id";

    public ServiceIdentity(string name, string instanceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        Name = name;
        InstanceId = instanceId;
    }

    /// <summary>OTEL_SERVICE_NAME, or the application name when started outside the AppHost.</summary>
    public string Name { get; }

    /// <summary><c>service.instance.id</c> from OTEL_RESOURCE_ATTRIBUTES, or machine and process id.</summary>
    public string InstanceId { get; }

    public static ServiceIdentity FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);

        var name = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } serviceName
            ? serviceName
            : environment.ApplicationName;
        var instanceId = FindResourceAttribute(configuration["OTEL_RESOURCE_ATTRIBUTES"], InstanceIdAttribute)
            ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        return new ServiceIdentity(name, instanceId);
    }

    // The variable is W3C-baggage-like: "k1=v1,k2=v2" with percent-encoded values.
    private static string? FindResourceAttribute(string? attributes, string key)
    {
        if (string.IsNullOrWhiteSpace(attributes))
        {
            return null;
        }

        foreach (var pair in attributes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0 && pair.AsSpan(0, separator).Trim().Equals(key, StringComparison.Ordinal))
            {
                var value = Uri.UnescapeDataString(pair[(separator + 1)..].Trim());
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }
}
