namespace LogisticsSync.ServiceDefaults.Messaging;

/// <summary>
/// Whether a publisher is getting messages to the broker: the time of its last confirmed publish, since when
/// every attempt has failed, and since when the publish under way has waited. Thread-safe; read by health checks.
/// </summary>
public sealed class PublishProgress(string name, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _failingSince;
    private DateTimeOffset? _pendingSince;
    private DateTimeOffset _lastFailed;
    private string? _lastError;

    public string Name { get; } = name;

    public DateTimeOffset? LastSucceeded { get; private set; }

    public void Started()
    {
        lock (_gate)
        {
            _pendingSince = time.GetUtcNow();
        }
    }

    public void Ended()
    {
        lock (_gate)
        {
            _pendingSince = null;
        }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            LastSucceeded = time.GetUtcNow();
            _failingSince = null;
            _lastError = null;
        }
    }

    public void Failed(Exception exception)
    {
        lock (_gate)
        {
            _lastFailed = time.GetUtcNow();
            _failingSince ??= _lastFailed;
            _lastError = exception.Message;
        }
    }

    /// <summary>Why this publisher is stuck (failing or hanging for at least <paramref name="threshold"/>), or null when it is not.</summary>
    public string? Stuck(TimeSpan threshold)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_pendingSince is { } pending && now - pending >= threshold)
            {
                return $"{Name}: a publish has waited {(now - pending).TotalSeconds:0} s for the broker";
            }

            // Failing for long, and still trying: a publisher that last failed long ago has nothing waiting.
            return _failingSince is { } failing && now - failing >= threshold && now - _lastFailed < threshold
                ? $"{Name}: every publish has failed for {(now - failing).TotalSeconds:0} s, last: {_lastError}"
                : null;
        }
    }
}
