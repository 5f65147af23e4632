using System.Diagnostics.Metrics;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>Runs, their duration, and findings by partner, drift and action, counted once a run is recorded.</summary>
internal sealed class ReconciliationMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _findings = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.reconciliation.findings", description: "Drift found by reconciliation, by partner, drift and what was done");

    private readonly Histogram<double> _duration = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateHistogram<double>("logistics.reconciliation.duration", unit: "s", description: "How long a reconciliation run took, by status");

    public void Completed(ReconciliationRun run, IEnumerable<FindingOutcome> outcomes)
    {
        _duration.Record((run.DurationMs ?? 0) / 1000, new KeyValuePair<string, object?>("status", run.Status));
        foreach (var outcome in outcomes)
        {
            _findings.Add(1, new KeyValuePair<string, object?>("partner", outcome.Finding.Partner),
                new KeyValuePair<string, object?>("drift", outcome.Finding.Drift), new KeyValuePair<string, object?>("action", outcome.Action));
        }
    }
}
