using Microsoft.Extensions.Options;

namespace LogisticsSync.Simulators.Faults;

/// <summary>
/// One set of rules for the profile from configuration (checked at start: a bad profile stops the
/// simulator) and from the admin API (a bad profile is a 400 problem naming each field).
/// </summary>
internal sealed class FaultProfileValidation : IValidateOptions<FaultProfile>
{
    public const int MaxLatencyMs = 60_000;

    public static Dictionary<string, string[]> Validate(FaultProfile profile)
    {
        var errors = new Dictionary<string, string[]>();
        void Rate(string field, double value)
        {
            if (!(value is >= 0 and <= 1))
            {
                errors[field] = [$"must be a probability from 0 to 1 (was {value})."];
            }
        }

        void Milliseconds(string field, int value)
        {
            if (value is < 0 or > MaxLatencyMs)
            {
                errors[field] = [$"must be from 0 to {MaxLatencyMs} ms (was {value})."];
            }
        }

        Milliseconds("latencyMs", profile.LatencyMs);
        Milliseconds("latencyJitterMs", profile.LatencyJitterMs);
        Rate("timeoutRate", profile.TimeoutRate);
        Rate("errorRate", profile.ErrorRate);
        if (profile.RateLimitPerSecond < 0)
        {
            errors["rateLimitPerSecond"] = [$"must be 0 (unlimited) or more (was {profile.RateLimitPerSecond})."];
        }

        Rate("duplicateRate", profile.DuplicateRate);
        Rate("reorderRate", profile.ReorderRate);
        Rate("shortPickRate", profile.ShortPickRate);
        Rate("lateConfirmationRate", profile.LateConfirmationRate);
        Rate("splitLineRate", profile.SplitLineRate);
        Rate("damagedLineRate", profile.DamagedLineRate);
        Rate("tenderRejectionRate", profile.TenderRejectionRate);
        Rate("delayRate", profile.DelayRate);
        Rate("failedAttemptRate", profile.FailedAttemptRate);
        Rate("stormRate", profile.StormRate);
        Rate("lostInvoiceRate", profile.LostInvoiceRate);
        Rate("lostConfirmationRate", profile.LostConfirmationRate);
        Rate("lostStatusRate", profile.LostStatusRate);
        if (profile.ClockSkewSeconds is < -86_400 or > 86_400)
        {
            errors["clockSkewSeconds"] = [$"must be within a day either way, -86400 to 86400 (was {profile.ClockSkewSeconds})."];
        }
        return errors;
    }

    ValidateOptionsResult IValidateOptions<FaultProfile>.Validate(string? name, FaultProfile options) =>
        Validate(options) is { Count: > 0 } errors
            ? ValidateOptionsResult.Fail(errors.Select(e => $"{FaultProfile.SectionName}:{e.Key}: {string.Join(" ", e.Value)}"))
            : ValidateOptionsResult.Success;
}
