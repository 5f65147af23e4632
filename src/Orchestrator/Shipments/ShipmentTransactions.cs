using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Outbox;
using Npgsql;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>Begins the <see cref="ShipmentUnitOfWork"/> every shipment write goes through.</summary>
internal sealed class ShipmentTransactions(
    NpgsqlDataSource dataSource,
    MilestoneApplier applier,
    ShipmentMetrics shipmentMetrics,
    ExceptionMetrics exceptionMetrics,
    OutboxSignal outboxSignal)
{
    public async Task<ShipmentUnitOfWork> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new ShipmentUnitOfWork(connection, transaction, applier, shipmentMetrics, exceptionMetrics, outboxSignal);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Begins a unit of work, runs <paramref name="work"/> in it and commits; an exception rolls all of it back.</summary>
    public async Task<T> RunAsync<T>(Func<ShipmentUnitOfWork, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var unit = await BeginAsync(cancellationToken);
        var result = await work(unit);
        await unit.CommitAsync(cancellationToken);
        return result;
    }

    public async Task RunAsync(Func<ShipmentUnitOfWork, Task> work, CancellationToken cancellationToken) =>
        await RunAsync(async unit =>
        {
            await work(unit);
            return true;
        }, cancellationToken);
}
