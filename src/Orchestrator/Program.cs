using LogisticsSync.Orchestrator.CarrierWebhooks;
using LogisticsSync.Orchestrator.Correlation;
using LogisticsSync.Orchestrator.DeadLetters;
using LogisticsSync.Orchestrator.Estate;
using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Extensions;
using LogisticsSync.Orchestrator.Operations;
using LogisticsSync.Orchestrator.Reconciliation;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.WorkflowLatency;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrchestrator();

var app = builder.Build();

await app.PrepareInfrastructureAsync();

app.UseCorrelationId();
// Partners reach this API through the gateway, which adds the estate's key; nothing else on the machine may call it.
app.UseServiceKey();
app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapEstateEndpoints();
app.MapShipmentEndpoints();
app.MapDeadLetterEndpoints();
app.MapCarrierWebhookEndpoints();
app.MapWorkflowLatencyEndpoints();
app.MapExceptionEndpoints();
app.MapReconciliationEndpoints();
app.MapOperationsEndpoints();

app.Run();
