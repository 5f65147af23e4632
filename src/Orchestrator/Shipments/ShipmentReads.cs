using System.Text.Json;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>Shipments and their trails as the API and the flows read them; no writes.</summary>
internal sealed class ShipmentReads(NpgsqlDataSource dataSource)
{
    /// <summary>What a release writes; the booking columns stay null until a carrier is booked.</summary>
    internal const string ReleaseColumns =
        "id, source_system, business_key, state, state_owner, version, correlation_id, release, request_fingerprint, created_at, updated_at";

    internal const string Columns = ReleaseColumns + ", carrier_id, booking_reference, tracking_number, estimated_delivery_at";

    public async Task<Shipment?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM shipments WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<Shipment?> FindByBusinessKeyAsync(string sourceSystem, string businessKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM shipments WHERE source_system = $1 AND business_key = $2");
        command.Parameters.Add(new() { Value = sourceSystem });
        command.Parameters.Add(new() { Value = businessKey });
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<TrailEntry>> TimelineAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, event_id, milestone, source_system, outcome, from_state, to_state, detail, correlation_id, occurred_at, recorded_at
            FROM shipment_events WHERE shipment_id = $1 ORDER BY sequence
            """);
        command.Parameters.Add(new() { Value = id });
        var entries = new List<TrailEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new TrailEntry(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return entries;
    }

    /// <summary>
    /// The shipment a carrier's webhook is about, in the caller's transaction: by the carrier's tracking number
    /// once booked, else by the business key it echoes (a webhook may overtake the booking's commit).
    /// </summary>
    public static async Task<Shipment?> FindForCarrierAsync(NpgsqlTransaction transaction, string carrierId, string? trackingNumber, string? businessKey, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT {Columns} FROM shipments
            WHERE (carrier_id = $1 AND tracking_number = $2) OR (source_system = $3 AND business_key = $4)
            ORDER BY (carrier_id = $1 AND tracking_number = $2) DESC NULLS LAST
            LIMIT 1
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = carrierId });
        command.Parameters.Add(new() { Value = (object?)trackingNumber ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = ReleaseShipmentValidation.DefaultSourceSystem });
        command.Parameters.Add(new() { Value = (object?)businessKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadSingleAsync(command, cancellationToken);
    }

    internal static async Task<Shipment?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The release as accepted: stored as the validated request's JSON, so it reads back as one.</summary>
    private static ReleaseShipmentRequest ReadRelease(string json) =>
        JsonSerializer.Deserialize<ReleaseShipmentRequest>(json, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("A shipment's release is null.");

    /// <summary>One row selected with <see cref="Columns"/>; the state column holds a <see cref="ShipmentState"/> member's name.</summary>
    internal static Shipment Read(NpgsqlDataReader reader) =>
        new(
            reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Enum.Parse<ShipmentState>(reader.GetString(3)), reader.GetString(4), reader.GetInt32(5),
            reader.GetString(6), ReadRelease(reader.GetString(7)), reader.GetString(8),
            reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10))
        {
            CarrierId = reader.IsDBNull(11) ? null : reader.GetString(11),
            BookingReference = reader.IsDBNull(12) ? null : reader.GetString(12),
            TrackingNumber = reader.IsDBNull(13) ? null : reader.GetString(13),
            EstimatedDeliveryAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
        };
}
