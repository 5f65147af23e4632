using System.Text.RegularExpressions;

namespace LogisticsSync.Hosting.Control;

/// <summary>What the dashboard shows of a process's environment: passwords, keys and tokens masked.</summary>
internal static partial class SecretMasking
{
    public const string Mask = "••••••";

    public static IReadOnlyDictionary<string, string> Environment(IReadOnlyDictionary<string, string> environment) =>
        environment.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => Value(e.Key, e.Value));

    public static string Value(string key, string value)
    {
        if (SecretKey().IsMatch(key))
        {
            return Mask;
        }

        // Connection strings and URLs carry passwords inside: keep the rest (host, port, user) readable.
        var masked = PasswordSetting().Replace(value, m => $"{m.Groups[1].Value}={Mask}");
        return UrlCredentials().Replace(masked, m => $"{m.Groups[1].Value}:{Mask}@");
    }

    [GeneratedRegex("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|SERVICE_?KEY|ADMIN_?KEY|HEADERS|COOKIE)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    [GeneratedRegex("(password|pwd)=[^;,]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();

    [GeneratedRegex("(://[^:/@\\s]+):[^@/\\s]+@")]
    private static partial Regex UrlCredentials();
}
