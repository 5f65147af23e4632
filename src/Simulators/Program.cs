using LogisticsSync.Simulators.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSimulator();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSimulator();

app.Run();
