using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>
/// Generated passwords and keys, created on first use and kept in the state folder (mode 0600) so a
/// persistent server keeps the password its data was initialised with.
/// </summary>
internal sealed class Secrets
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private readonly string _path;
    private readonly Dictionary<string, string> _values;

    public Secrets(string stateDirectory)
    {
        _path = Path.Combine(stateDirectory, "secrets.json");
        _values = File.Exists(_path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_path)) ?? []
            : [];
    }

    public string GetOrCreate(string name, Func<string>? generate = null)
    {
        lock (_values)
        {
            if (!_values.TryGetValue(name, out var value))
            {
                _values[name] = value = generate?.Invoke() ?? Generate(32);
                PrivateFile.Write(_path, JsonSerializer.Serialize(_values, JsonOptions));
            }

            return value;
        }
    }

    /// <summary>Forgets every secret (the state folder was wiped).</summary>
    public void Clear()
    {
        lock (_values)
        {
            _values.Clear();
            File.Delete(_path);
        }
    }

    /// <summary>Letters and digits only, so a secret needs no escaping in any connection-string format.</summary>
    public static string Generate(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    /// <summary>Compares a presented token with the expected one in constant time (no timing oracle).</summary>
    public static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
