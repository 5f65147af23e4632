using LogisticsSync.ServiceDefaults.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LogisticsSync.ServiceDefaults.Tests.Logging;

public sealed class QuietConsoleDefaultsTests
{
    [Fact]
    public void AddQuietConsoleDefaults_FrameworkInformation_StaysOffTheConsole()
    {
        using var host = BuildHost();

        Assert.False(ConsoleEnabled(host, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information));
        Assert.False(ConsoleEnabled(host, "System.Net.Http.HttpClient.Default.LogicalHandler", LogLevel.Information));
        Assert.True(ConsoleEnabled(host, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        Assert.True(ConsoleEnabled(host, "Microsoft.Hosting.Lifetime", LogLevel.Information));
    }

    [Fact]
    public void AddQuietConsoleDefaults_EstateEvents_ReachTheConsoleAtInformation()
    {
        using var host = BuildHost();

        Assert.True(ConsoleEnabled(host, "LogisticsSync.Orchestrator.Milestones.MilestoneConsumer", LogLevel.Information));
        Assert.False(ConsoleEnabled(host, "LogisticsSync.Orchestrator.Milestones.MilestoneConsumer", LogLevel.Debug));
    }

    [Fact]
    public void AddQuietConsoleDefaults_VerboseFromTheEnvironment_OverridesTheDefault()
    {
        using var host = BuildHost(("Logging:Console:LogLevel:Default", "Information"));

        Assert.True(ConsoleEnabled(host, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information));
    }

    private static IHost BuildHost(params (string Key, string Value)[] later)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole();
        builder.AddQuietConsoleDefaults();
        // Sources added after the defaults stand for appsettings and the environment the AppHost sets.
        builder.Configuration.AddInMemoryCollection(later.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        return builder.Build();
    }

    /// <summary>Whether a logger of the category writes to the console provider at that level.</summary>
    private static bool ConsoleEnabled(IHost host, string category, LogLevel level)
    {
        var console = host.Services.GetServices<ILoggerProvider>().OfType<ConsoleLoggerProvider>().Single();
        using var factory = new LoggerFactory([console], host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<LoggerFilterOptions>>());
        return factory.CreateLogger(category).IsEnabled(level);
    }
}
