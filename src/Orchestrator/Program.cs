using LogisticsSync.Orchestrator.Estate;
using LogisticsSync.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource(ResourceNames.Database);
builder.AddRedisClient(ResourceNames.Redis);
builder.AddRabbitMQClient(ResourceNames.RabbitMQ);

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapEstateEndpoints();

app.Run();
