using LogisticsSync.Simulators.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSimulator();

var app = builder.Build();

// Only the estate's services may call a partner's system API; /admin has its own key, the reports stay open.
app.UseServiceKey(SimulatorExtensions.SystemApis);
app.MapDefaultEndpoints();
app.MapSimulator();

app.Run();
