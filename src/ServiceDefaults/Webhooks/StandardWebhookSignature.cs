using System.Security.Cryptography;
using System.Text;

namespace LogisticsSync.ServiceDefaults.Webhooks;

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
/// where the key is the base64-decoded part of a <c>whsec_</c> secret. The header may carry several
/// space-separated signatures (a sender rotating its secret signs with both); one match is enough.
/// </summary>
public static class StandardWebhookSignature
{
    public const string SecretPrefix = "whsec_";
    private const string VersionPrefix = "v1,";

    public static byte[] KeyOf(string secret) =>
        secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[SecretPrefix.Length..])
            : throw new FormatException($"A webhook secret starts with '{SecretPrefix}'.");

    /// <summary>The <c>webhook-signature</c> value a sender computes, e.g. for tests and the README's example.</summary>
    public static string Sign(byte[] key, string webhookId, long timestamp, ReadOnlySpan<byte> body) =>
        VersionPrefix + Convert.ToBase64String(Compute(key, webhookId, timestamp, body));

    public static bool Verify(byte[] key, string webhookId, long timestamp, ReadOnlySpan<byte> body, string signatureHeader)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Compute(key, webhookId, timestamp, body).CopyTo(expected);
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var signature in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Other versions (e.g. v1a, asymmetric) are skipped, not failed: the sender may offer several.
            if (signature.StartsWith(VersionPrefix, StringComparison.Ordinal)
                && Convert.TryFromBase64String(signature[VersionPrefix.Length..], presented, out var written)
                && written == presented.Length
                && CryptographicOperations.FixedTimeEquals(expected, presented))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Compute(byte[] key, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
