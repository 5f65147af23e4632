using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Tendering;

/// <summary>A tender as recorded before it is sent: its id is the TMS's Idempotency-Key.</summary>
internal sealed record TenderRecord(Guid TenderId, Guid ShipmentId, string CarrierId, string ServiceLevel);

/// <summary>The tenders of each shipment: which one is still unanswered, which carriers said no.</summary>
internal sealed class TenderStore(NpgsqlDataSource dataSource)
{
    public async Task AddAsync(NpgsqlTransaction transaction, TenderRecord tender, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO tenders (tender_id, shipment_id, carrier_id, service_level, created_at) VALUES ($1, $2, $3, $4, $5)", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tender.TenderId });
        command.Parameters.Add(new() { Value = tender.ShipmentId });
        command.Parameters.Add(new() { Value = tender.CarrierId });
        command.Parameters.Add(new() { Value = tender.ServiceLevel });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AnswerAsync(NpgsqlTransaction transaction, Guid tenderId, string outcome, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE tenders SET outcome = $2, reason = $3, answered_at = $4 WHERE tender_id = $1", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenderId });
        command.Parameters.Add(new() { Value = outcome });
        command.Parameters.Add(new() { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The tender sent but not answered (at most one per shipment: a unique index says so).</summary>
    public async Task<TenderRecord?> FindOpenAsync(Guid shipmentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT tender_id, shipment_id, carrier_id, COALESCE(service_level, 'standard') FROM tenders WHERE shipment_id = $1 AND outcome IS NULL");
        command.Parameters.Add(new() { Value = shipmentId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TenderRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3))
            : null;
    }

    public async Task<IReadOnlySet<string>> RejectedCarriersAsync(Guid shipmentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT DISTINCT carrier_id FROM tenders WHERE shipment_id = $1 AND outcome = 'rejected'");
        command.Parameters.Add(new() { Value = shipmentId });
        var carriers = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            carriers.Add(reader.GetString(0));
        }

        return carriers;
    }
}
