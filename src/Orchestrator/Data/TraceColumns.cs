using System.Data.Common;
using LogisticsSync.ServiceDefaults.Tracing;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Data;

/// <summary>
/// The <c>traceparent</c>, <c>tracestate</c> column pair of a row whose work runs later (outbox, partner tasks): written
/// from the activity current when the row is, read back to continue that trace when the work runs.
/// </summary>
internal static class TraceColumns
{
    /// <summary>The current trace context as two text parameters (nulls when nothing is traced).</summary>
    public static IEnumerable<NpgsqlParameter> Current()
    {
        var current = TraceContext.Current;
        yield return Text(current.TraceParent);
        yield return Text(current.TraceState);
    }

    /// <summary>The context stored in the two columns starting at <paramref name="ordinal"/>.</summary>
    public static TraceContext Read(DbDataReader reader, int ordinal) =>
        new(reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal), reader.IsDBNull(ordinal + 1) ? null : reader.GetString(ordinal + 1));

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
