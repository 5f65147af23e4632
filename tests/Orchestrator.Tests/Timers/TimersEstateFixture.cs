using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults;
using RabbitMQ.Client;

namespace LogisticsSync.Orchestrator.Tests.Timers;

/// <summary>
/// The orchestrator (two replicas, real servers) with dwell limits of seconds: Released 2 s, Picked 6 s (long enough
/// to kill both replicas before it is due), Allocated 10 min (progress to it must silence the Released timer).
/// Partner calls are off: the tests move shipments with the partners' milestones through the broker.
/// </summary>
public sealed class TimersEstateFixture : OrchestratorEstateFixture
{
    private IConnection? _broker;
    private IChannel? _channel;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _broker = await new ConnectionFactory { Uri = new Uri(App.GetConnectionString(ResourceNames.RabbitMQ)) }.CreateConnectionAsync();
        _channel = await _broker.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    }

    protected override void Configure(DistributedApplicationBuilder builder) =>
        builder.GetResource<ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context =>
        {
            context.Variables["Timers__DwellLimits__Released"] = "00:00:02";
            context.Variables["Timers__DwellLimits__Allocated"] = "00:10:00";
            context.Variables["Timers__DwellLimits__Picked"] = "00:00:06";
            context.Variables["Timers__PollInterval"] = "00:00:00.200";
        });

    public Task PublishAsync(string businessKey, ShipmentMilestone milestone, string source) => PublishMilestoneAsync(_channel!, businessKey, milestone, source);

    public override async Task DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
