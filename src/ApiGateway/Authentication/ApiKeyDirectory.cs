using System.Security.Cryptography;
using System.Text;
using LogisticsSync.ApiGateway.Versioning;
using Microsoft.Extensions.Options;

namespace LogisticsSync.ApiGateway.Authentication;

/// <summary>
/// The configured clients with their stored key hashes decoded once (and again when the
/// configuration changes), so checking a key costs one SHA-256 and no allocation per request.
/// </summary>
internal sealed class ApiKeyDirectory : IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile Entry[] _entries;

    public ApiKeyDirectory(IOptionsMonitor<GatewayOptions> options)
    {
        _entries = Build(options.CurrentValue);
        _subscription = options.OnChange(changed => _entries = Build(changed));
    }

    /// <returns>The client whose stored hash is the presented key's SHA-256, or null.</returns>
    public (string ClientId, ClientOptions Client)? Find(string presentedKey)
    {
        const int StackLimit = 256;
        var byteCount = Encoding.UTF8.GetByteCount(presentedKey);
        var utf8 = byteCount <= StackLimit ? stackalloc byte[StackLimit] : new byte[byteCount];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(presentedKey, utf8)], hash);

        foreach (var entry in _entries)
        {
            // Every stored hash is compared in constant time: the loop leaks nothing about which one is close.
            if (CryptographicOperations.FixedTimeEquals(hash, entry.KeySha256))
            {
                return (entry.ClientId, entry.Client);
            }
        }

        return null;
    }

    public void Dispose() => _subscription?.Dispose();

    // A stored hash that is not 64 hex digits matches no key, as before it was decoded up front.
    private static Entry[] Build(GatewayOptions options) =>
        [.. options.Clients
            .Where(client => client.Value.KeySha256.Length == SHA256.HashSizeInBytes * 2 && client.Value.KeySha256.All(char.IsAsciiHexDigit))
            .Select(client => new Entry(client.Key, client.Value, Convert.FromHexString(client.Value.KeySha256)))];

    private sealed record Entry(string ClientId, ClientOptions Client, byte[] KeySha256);
}
