using LogisticsSync.Simulators.Roles;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSimulatorRole();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSimulatorInfo();

app.Run();
