using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LogisticsSync.Orchestrator.Outbox;

/// <summary>
/// Unhealthy while events wait in the outbox and this replica's dispatcher gets none of them out: the state changes
/// are committed, but no partner hears of them. Reads the oldest unsent row (a partial index keeps that cheap).
/// </summary>
internal sealed class OutboxHealthCheck(
    NpgsqlDataSource dataSource,
    OutboxProgress progress,
    IOptionsMonitor<OutboxHealthOptions> options,
    TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        DateTimeOffset? oldestUnsent;
        try
        {
            await using var command = dataSource.CreateCommand("SELECT min(created_at) FROM outbox WHERE published_at IS NULL");
            oldestUnsent = await command.ExecuteScalarAsync(cancellationToken) is DateTime created ? new DateTimeOffset(created, TimeSpan.Zero) : null;
        }
        catch (NpgsqlException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"cannot read the outbox: {exception.Message}", exception);
        }

        return Stuck(oldestUnsent, progress.LastPublished, time.GetUtcNow(), options.CurrentValue.OutboxStuckThreshold) is { } problem
            ? new HealthCheckResult(context.Registration.FailureStatus, problem)
            : HealthCheckResult.Healthy(oldestUnsent is null ? "outbox drained" : "outbox draining");
    }

    /// <summary>Why the outbox is stuck (an old unsent row and no publish for as long), or null.</summary>
    internal static string? Stuck(DateTimeOffset? oldestUnsent, DateTimeOffset lastPublished, DateTimeOffset now, TimeSpan threshold)
    {
        if (oldestUnsent is not { } oldest || now - oldest < threshold || now - lastPublished < threshold)
        {
            return null;
        }

        return $"outbox stuck: the oldest unsent event is {(now - oldest).TotalSeconds:0} s old and nothing was published for {(now - lastPublished).TotalSeconds:0} s";
    }
}
