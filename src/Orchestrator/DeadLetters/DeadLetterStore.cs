using LogisticsSync.ServiceDefaults.Input;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.DeadLetters;

public sealed record DeadLetter(
    long Id, string? EventId, string RoutingKey, string? ContentType, string? MessageType, string? CorrelationId,
    string Reason, int Attempts, DateTimeOffset DeadAt, DateTimeOffset? ReplayedAt, string? Publisher);

/// <summary>
/// The AMQP properties a dead letter keeps, so that a replay publishes the message as it came. <paramref name="Publisher"/>
/// is its <c>user-id</c>, which the broker validated: the replay's reporter, null when the message had none.
/// </summary>
public sealed record DeadLetterProperties(string? EventId, string? ContentType, string? MessageType, string? CorrelationId, string? Publisher);

/// <summary>The dead-letter queue: milestones that could not be applied, kept for inspection and replay.</summary>
internal sealed class DeadLetterStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, event_id, routing_key, content_type, message_type, correlation_id, reason, attempts, dead_at, replayed_at, publisher";

    public async Task AddAsync(DeadLetterProperties properties, string routingKey, ReadOnlyMemory<byte> body, string reason, int attempts, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO dead_letters (event_id, routing_key, body, content_type, message_type, correlation_id, reason, attempts, publisher)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """);
        command.Parameters.Add(OptionalText(properties.EventId));
        command.Parameters.Add(new() { Value = InputRules.Scrub(routingKey) });
        command.Parameters.Add(new() { Value = body.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(OptionalText(properties.ContentType));
        command.Parameters.Add(OptionalText(properties.MessageType));
        command.Parameters.Add(OptionalText(properties.CorrelationId));
        command.Parameters.Add(new() { Value = InputRules.Scrub(reason) });
        command.Parameters.Add(new() { Value = attempts });
        command.Parameters.Add(OptionalText(properties.Publisher));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Whatever a publisher put in its properties is kept, but as text PostgreSQL can store: a NUL in a
    // message id once made this insert fail, and the message was requeued every second forever.
    private static NpgsqlParameter OptionalText(string? value) =>
        new() { Value = value is null ? DBNull.Value : InputRules.Scrub(value), NpgsqlDbType = NpgsqlDbType.Text };

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(bool includeReplayed, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM dead_letters WHERE $1 OR replayed_at IS NULL ORDER BY id LIMIT $2");
        command.Parameters.Add(new() { Value = includeReplayed });
        command.Parameters.Add(new() { Value = limit });
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(Read(reader));
        }

        return letters;
    }

    public async Task<(DeadLetter Letter, byte[] Body)?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns}, body FROM dead_letters WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Read(reader), (byte[])reader[11]) : null;
    }

    /// <summary>Marks a letter replayed, once: false when another request replayed it first.</summary>
    public async Task<bool> MarkReplayedAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE dead_letters SET replayed_at = now() WHERE id = $1 AND replayed_at IS NULL");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static DeadLetter Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), TextOrNull(reader, 1), reader.GetString(2), TextOrNull(reader, 3), TextOrNull(reader, 4), TextOrNull(reader, 5),
        reader.GetString(6), reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        TextOrNull(reader, 10));

    private static string? TextOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
