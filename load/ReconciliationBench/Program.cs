using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Npgsql;

// How long one reconciliation run takes over N shipments (issue 13's goal: 10,000 in under 10 s), against the real
// estate: every partner simulator answers its query API. The shipments are written straight into PostgreSQL and are
// unknown to the partners, so every one is a finding and one in a quarter to all of them an exception: the write side's
// worst case, with no heal (a heal is a partner call per drifted shipment, a few per hundred in a healthy estate).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
Console.WriteLine($"booting the estate…");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
builder.GetResource<ProjectResource>(ResourceNames.Erp).EnvironmentCallbacks.Add(context => context.Variables["Simulator__Erp__OrderCount"] = "1");
builder.GetResource<ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context =>
{
    context.Variables["Reconciliation__Interval"] = "00:00:00";
    context.Variables["Reconciliation__QuietPeriod"] = "00:00:00";
});
await using var estate = await builder.StartHealthyAsync();
await using var dataSource = NpgsqlDataSource.Create(estate.GetConnectionString(ResourceNames.Database));

// A quarter at the warehouse (WMS asked), half booked (TMS and carrier asked), a quarter invoiced (ERP only); all ERP orders.
await using (var insert = dataSource.CreateCommand("""
    WITH s AS (
        INSERT INTO shipments (id, source_system, business_key, state, state_owner, version, correlation_id, release, request_fingerprint, created_at, updated_at,
                               carrier_id, booking_reference, tracking_number)
        SELECT gen_random_uuid(), 'erp', 'BENCH-' || lpad(i::text, 6, '0'),
               CASE i % 4 WHEN 0 THEN 'Allocated' WHEN 3 THEN 'Invoiced' ELSE 'Booked' END, 'Wms', 2, 'bench-' || i,
               '{"lines":[{"sku":"SKU-1","quantity":2,"weightKg":1.0}]}', 'bench', now() - interval '1 hour', now() - interval '1 hour',
               CASE WHEN i % 4 IN (1, 2) THEN (CASE i % 2 WHEN 0 THEN 'parcelfast' ELSE 'freightline' END) END,
               CASE WHEN i % 4 IN (1, 2) THEN 'BENCH-B-' || i END, CASE WHEN i % 4 IN (1, 2) THEN 'BENCH-T-' || i END
        FROM generate_series(1, $1) i
        RETURNING id, carrier_id)
    INSERT INTO tenders (tender_id, shipment_id, carrier_id, service_level, outcome, created_at, answered_at)
    SELECT gen_random_uuid(), id, carrier_id, 'standard', 'booked', now(), now() FROM s WHERE carrier_id IS NOT NULL
    """))
{
    insert.Parameters.Add(new() { Value = count });
    await insert.ExecuteNonQueryAsync();
}

using var orchestrator = estate.CreateHttpClient(ResourceNames.Orchestrator);
orchestrator.Timeout = TimeSpan.FromMinutes(5);
for (var round = 1; round <= 3; round++)
{
    var clock = Stopwatch.StartNew();
    using var response = await orchestrator.PostAsync("/api/v1/reconciliation/runs", content: null);
    var run = await response.Content.ReadFromJsonAsync<JsonElement>();
    Console.WriteLine($"run {round}: HTTP {(int)response.StatusCode} in {clock.Elapsed.TotalSeconds:0.00} s: shipments {run.GetProperty("shipments")}, " +
        $"findings {run.GetProperty("findings")}, exceptions opened {run.GetProperty("exceptions")}, healed {run.GetProperty("healed")}, " +
        $"unavailable [{string.Join(",", run.GetProperty("unavailable").EnumerateArray())}], run duration {run.GetProperty("durationMs").GetDouble():0} ms");
}
