namespace LogisticsSync.ApiGateway.Throttling;

/// <summary>Which bucket answered: the one shared through Redis, or this replica's own while Redis is away.</summary>
public enum ThrottleEnforcement
{
    Shared,
    LocalFallback,
}

/// <param name="Remaining">Whole tokens left after this request.</param>
/// <param name="RetryAfter">Until the next token, when refused; zero when allowed.</param>
/// <param name="ResetAfter">Until the bucket is full again.</param>
internal readonly record struct ThrottleDecision(
    bool Allowed,
    long Remaining,
    TimeSpan RetryAfter,
    TimeSpan ResetAfter,
    ThrottleEnforcement Enforcement);
