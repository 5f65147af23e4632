using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace LogisticsSync.ServiceDefaults.ServiceKeys;

/// <summary>
/// The estate's internal credential as this service was given it (<c>Estate__ServiceKey</c>, generated per state folder
/// by the AppHost). Absent when a service runs outside an estate: it then sends no key and refuses every protected call.
/// </summary>
public sealed class ServiceKey
{
    /// <summary>The configuration key the AppHost sets (as the environment variable <c>Estate__ServiceKey</c>).</summary>
    public const string ConfigurationKey = "Estate:ServiceKey";

    private readonly byte[]? _expected;

    public ServiceKey(string? value)
    {
        Value = string.IsNullOrEmpty(value) ? null : value;
        _expected = Value is null ? null : Encoding.UTF8.GetBytes(Value);
    }

    public string? Value { get; }

    public static ServiceKey FromConfiguration(IConfiguration configuration) => new(configuration[ConfigurationKey]);

    /// <summary>
    /// Fixed-time: how long a wrong key takes to refuse must not tell how much of it was right. Without a key of its
    /// own a service matches nothing (fail closed), rather than letting any caller in.
    /// </summary>
    public bool Matches(string presented) =>
        _expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _expected);
}
