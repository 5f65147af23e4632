namespace LogisticsSync.Dashboard.Pages;

/// <summary>
/// The operations page's frame: the business state of the estate as the orchestrator reports it (through the gateway,
/// with the operations identity), filled and kept live by operations.js from <c>/api/operations</c>.
/// </summary>
internal static class OperationsPage
{
    public const string Body = """
            <h1>Operations</h1>
            <p id="operations-status" class="summary">loading…</p>
            <div class="ops-columns">
              <section class="panel">
                <h2>Shipments by state</h2>
                <table class="grid" id="ops-states">
                  <thead><tr><th>State</th><th>Shipments</th><th>In state p50</th><th>p90</th><th>max</th></tr></thead>
                  <tbody></tbody>
                </table>
              </section>
              <section class="panel">
                <h2>Throughput per minute <span class="summary">last hour</span></h2>
                <div id="ops-throughput" class="chart"></div>
              </section>
            </div>
            <section class="panel">
              <h2>Stuck and oldest shipments in flight <span class="summary">stuck (dwell limit breached) first</span></h2>
              <table class="grid" id="ops-in-flight">
                <thead><tr><th>Shipment</th><th>State</th><th>Owner</th><th>In state for</th><th>Stuck</th><th>Open exceptions</th><th>Trace</th></tr></thead>
                <tbody></tbody>
              </table>
            </section>
            <section class="panel">
              <h2>Open exceptions <span class="summary">by owner, SLA breached first</span></h2>
              <table class="grid compact" id="ops-owners">
                <thead><tr><th>Owner</th><th>Open</th><th>Past SLA</th><th>Next SLA due</th></tr></thead>
                <tbody></tbody>
              </table>
              <table class="grid" id="ops-exceptions">
                <thead><tr><th>SLA due</th><th>Owner</th><th>Type</th><th>Shipment</th><th>Level</th><th>Detail</th><th>Actions</th></tr></thead>
                <tbody></tbody>
              </table>
            </section>
            <section class="panel">
              <h2>Dead letters <span class="summary">not yet replayed</span></h2>
              <table class="grid" id="ops-dead-letters">
                <thead><tr><th>Id</th><th>Dead at</th><th>Routing key</th><th>Correlation</th><th>Reason</th><th>Attempts</th><th>Actions</th></tr></thead>
                <tbody></tbody>
              </table>
            </section>
            <section class="panel">
              <h2>Latest reconciliation run</h2>
              <p id="ops-run" class="summary"></p>
              <table class="grid" id="ops-findings">
                <thead><tr><th>Shipment</th><th>Partner</th><th>Subject</th><th>Drift</th><th>Ours</th><th>Theirs</th><th>Action</th></tr></thead>
                <tbody></tbody>
              </table>
            </section>
            <section id="shipment-detail" class="detail" hidden></section>
        """;
}
