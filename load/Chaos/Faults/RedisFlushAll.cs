using System.Net.Sockets;
using System.Text;

namespace LogisticsSync.Load.Chaos.Faults;

/// <summary>
/// Redis data loss while idempotency keys are live: <c>FLUSHALL</c> over a plain RESP connection (two commands do
/// not need a client library). Replays must then come from the database's unique constraint, the durable backstop.
/// </summary>
internal sealed class RedisFlushAll(string connectionString) : IFaultAction
{
    public string? Measured { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var parts = connectionString.Split(',');
        var hostPort = parts[0].Split(':');
        var password = parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0].Trim() == "password")?[1];
        using var client = new TcpClient();
        await client.ConnectAsync(hostPort[0], int.Parse(hostPort[1], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        if (password is not null)
        {
            await ExpectOkAsync(stream, reader, ["AUTH", password], cancellationToken);
        }

        var keys = await CommandAsync(stream, reader, ["DBSIZE"], cancellationToken);
        await ExpectOkAsync(stream, reader, ["FLUSHALL"], cancellationToken);
        Measured = $"{keys.TrimStart(':')} keys flushed";
    }

    public Task EndAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task ExpectOkAsync(NetworkStream stream, StreamReader reader, string[] command, CancellationToken cancellationToken)
    {
        var answer = await CommandAsync(stream, reader, command, cancellationToken);
        if (answer != "+OK")
        {
            throw new InvalidOperationException($"redis answered {command[0]} with {answer}");
        }
    }

    private static async Task<string> CommandAsync(NetworkStream stream, StreamReader reader, string[] command, CancellationToken cancellationToken)
    {
        var text = new StringBuilder($"*{command.Length}\r\n");
        foreach (var part in command)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        return await reader.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("redis closed the connection");
    }
}
