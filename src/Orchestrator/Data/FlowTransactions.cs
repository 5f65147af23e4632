using LogisticsSync.Orchestrator.Shipments;
using Npgsql;

namespace LogisticsSync.Orchestrator.Data;

/// <summary>
/// The one shape every partner-call outcome is written in: a transaction holding the caller's writes (a milestone
/// applied through <see cref="ShipmentStore.ApplyInTransactionAsync"/>, a task's fenced update, an exception), committed,
/// then the store's after-commit bookkeeping (metrics, outbox wake-up) for what it applied.
/// </summary>
internal sealed class FlowTransactions(NpgsqlDataSource dataSource, ShipmentStore shipments)
{
    public async Task RunAsync(Func<NpgsqlTransaction, Task<AppliedInTransaction?>> writes, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var applied = await writes(transaction);
        await transaction.CommitAsync(cancellationToken);
        if (applied is not null)
        {
            shipments.Committed(applied);
        }
    }
}

internal static class TransactionExtensions
{
    /// <summary>Runs one batch command (as the stores hand them out) in the transaction; returns the rows it affected.</summary>
    public static async Task<int> ExecuteAsync(this NpgsqlTransaction transaction, NpgsqlBatchCommand command, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction) { BatchCommands = { command } };
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
