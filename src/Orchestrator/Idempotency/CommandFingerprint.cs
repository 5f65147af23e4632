using System.Security.Cryptography;
using System.Text.Json;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Orchestrator.Idempotency;

/// <summary>
/// What makes two requests "the same command": the command's name and its canonical form (parsed,
/// defaults filled in, serialised one way), never the raw bytes or the path. So a release re-sent
/// through <c>/api/v2</c>, with its properties reordered or its whitespace changed, is the same command
/// and replays; the idempotency key is scoped per client, so two partners' keys never collide.
/// </summary>
internal static class CommandFingerprint
{
    public static string Of<TCanonical>(string command, TCanonical canonical)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(canonical, JsonSerializerOptions.Web);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(command + "\n"));
        hash.AppendData(json);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The idempotency scope of <paramref name="command"/> for the client the gateway forwarded.</summary>
    public static string Scope(HttpContext http, string command)
    {
        var client = http.Request.Headers[ForwardedClient.HeaderName].ToString();
        return $"{(client.Length == 0 ? ForwardedClient.Internal : client)}:{command}";
    }
}
