using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace LogisticsSync.Simulators.Faults;

/// <summary>
/// The profile set through the admin API, layered over configuration the way options are meant to
/// change: a post-configure step applies it and a change token tells <see cref="IOptionsMonitor{T}"/>
/// to recompute, so every reader of <c>CurrentValue</c> sees it on its next decision.
/// </summary>
internal sealed class FaultProfileOverride : IPostConfigureOptions<FaultProfile>, IOptionsChangeTokenSource<FaultProfile>
{
    private readonly Lock _gate = new();
    private FaultProfile? _profile;
    private CancellationTokenSource _changed = new();

    public string? Name => Options.DefaultName;

    public void Set(FaultProfile profile)
    {
        CancellationTokenSource previous;
        lock (_gate)
        {
            _profile = profile.Clone();
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
    }

    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public void PostConfigure(string? name, FaultProfile options)
    {
        FaultProfile? profile;
        lock (_gate)
        {
            profile = _profile;
        }

        if (profile is null)
        {
            return;
        }

        profile.CopyTo(options);
    }
}
