using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LogisticsSync.Hosting.Model;

namespace LogisticsSync.Hosting.Infrastructure;

/// <summary>
/// The node's users and permissions as a RabbitMQ definitions file, imported at every boot
/// (<c>load_definitions</c>): the users exist before the listener accepts a connection, and a changed
/// model (a new client, narrower permissions, a new password) applies on the next start.
/// </summary>
internal static class RabbitMQDefinitions
{
    private const string Vhost = "/";

    public static string Create(RabbitMQServerResource broker)
    {
        var administrator = broker.RequireCredentials();
        // The administrator may impersonate so that tests and operator tools can publish as a partner would.
        var users = new JsonArray { User(administrator, "administrator", "impersonator") };
        var permissions = new JsonArray { Permission(administrator.UserName, RabbitMQPermissions.Vhost) };
        var topicPermissions = new JsonArray();
        foreach (var (name, granted) in broker.Users.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            users.Add(User(broker.UserCredentials[name], granted.Impersonator ? ["impersonator"] : []));
            permissions.Add(Permission(name, granted));
            foreach (var topic in granted.Topics)
            {
                topicPermissions.Add(new JsonObject
                {
                    ["user"] = name, ["vhost"] = Vhost, ["exchange"] = topic.Exchange, ["write"] = topic.Write, ["read"] = topic.Read,
                });
            }
        }

        return new JsonObject
        {
            ["users"] = users,
            ["vhosts"] = new JsonArray { new JsonObject { ["name"] = Vhost } },
            ["permissions"] = permissions,
            ["topic_permissions"] = topicPermissions,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject User(ServerCredentials credentials, params string[] tags) => new()
    {
        ["name"] = credentials.UserName,
        ["password_hash"] = PasswordHash(credentials.Password),
        ["hashing_algorithm"] = "rabbit_password_hashing_sha256",
        ["tags"] = new JsonArray([.. tags.Select(t => JsonValue.Create(t))]),
    };

    private static JsonObject Permission(string user, RabbitMQPermissions granted) => new()
    {
        ["user"] = user, ["vhost"] = Vhost, ["configure"] = granted.Configure, ["write"] = granted.Write, ["read"] = granted.Read,
    };

    /// <summary>RabbitMQ's <c>rabbit_password_hashing_sha256</c>: base64(salt ‖ SHA-256(salt ‖ password)), a 4-byte salt.</summary>
    internal static string PasswordHash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(4);
        var hash = SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)]);
        return Convert.ToBase64String([.. salt, .. hash]);
    }
}
