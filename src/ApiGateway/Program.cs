using LogisticsSync.ApiGateway.Extensions;

// Routes live in appsettings.json; anchor the content root at the build output so they are found
// whatever working directory the AppHost (or a shell) starts the dll from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGateway();

app.Run();
