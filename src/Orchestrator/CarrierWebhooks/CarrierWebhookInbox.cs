using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.CarrierWebhooks;

/// <summary>A carrier webhook as received: its sender's id, when it was sent, and the exact bytes that were signed.</summary>
public sealed record CarrierWebhook(string CarrierId, string WebhookId, DateTimeOffset? SentAt, byte[] Body, string? ContentType, string CorrelationId);

/// <summary>The raw carrier webhooks, once each per carrier and webhook id.</summary>
internal sealed class CarrierWebhookInbox(NpgsqlDataSource dataSource)
{
    /// <returns>The row id when stored now, null when this carrier's webhook id was stored before.</returns>
    public async Task<long?> AddAsync(CarrierWebhook webhook, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO carrier_webhook_inbox (carrier_id, webhook_id, sent_at, body, content_type, correlation_id)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (carrier_id, webhook_id) DO NOTHING
            RETURNING id
            """);
        command.Parameters.Add(new() { Value = webhook.CarrierId });
        command.Parameters.Add(new() { Value = webhook.WebhookId });
        command.Parameters.Add(new() { Value = (object?)webhook.SentAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = webhook.Body, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = (object?)webhook.ContentType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = webhook.CorrelationId });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }
}
