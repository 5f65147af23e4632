using System.Globalization;
using System.Text.RegularExpressions;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.LoadRunner.Thresholds;

/// <summary>
/// A pass/fail criterion read from a string, e.g. <c>p99 &lt; 50ms</c>, <c>release: fail rate &lt; 0.1%</c>,
/// <c>status 5xx share &lt; 1%</c>, <c>rps &gt;= 90</c>, <c>dropped &lt; 1% abort</c>. Latency percentiles are the
/// corrected latency; <c>service p99</c> is the service time. Without a <c>scenario:</c> prefix it applies to every
/// scenario. A trailing <c>abort</c> stops the run as soon as the live check sees it breached.
/// </summary>
public sealed partial record Threshold(string Text, string? Scenario, ThresholdMetric Metric, string Comparison, double Limit, bool AbortOnBreach)
{
    public const string Syntax =
        "[scenario:] (pN | service pN | mean | max | fail rate | rps | status CODE share | dropped) (<|<=|>|>=) VALUE [abort] " +
        "— VALUE: 50ms, 1s, 0.1%, 200";

    /// <summary>Live checks wait for this many requests, so that the first slow request cannot abort a run.</summary>
    public const long MinimumRequestsForLiveCheck = 100;

    public static Threshold Parse(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"cannot read threshold '{text}'; expected {Syntax}");
        }

        var scenario = match.Groups["scenario"].Success ? match.Groups["scenario"].Value.Trim() : null;
        var metric = ParseMetric(match.Groups["metric"].Value.Trim().ToLowerInvariant(), text);
        var (limit, unit) = (double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture), match.Groups["unit"].Value.ToLowerInvariant());
        limit = (metric.Kind, unit) switch
        {
            (ThresholdMetricKind.Latency or ThresholdMetricKind.ServiceTime or ThresholdMetricKind.Mean or ThresholdMetricKind.Max, "ms") => limit,
            (ThresholdMetricKind.Latency or ThresholdMetricKind.ServiceTime or ThresholdMetricKind.Mean or ThresholdMetricKind.Max, "s") => limit * 1000,
            (ThresholdMetricKind.Latency or ThresholdMetricKind.ServiceTime or ThresholdMetricKind.Mean or ThresholdMetricKind.Max, "us" or "µs") => limit / 1000,
            (ThresholdMetricKind.FailRate or ThresholdMetricKind.StatusShare, "%") => limit / 100,
            (ThresholdMetricKind.DroppedShare, "%") => limit / 100,
            (ThresholdMetricKind.DroppedShare, "") => limit,
            (ThresholdMetricKind.RequestsPerSecond, "") => limit,
            _ => throw new FormatException($"threshold '{text}': '{match.Groups["value"].Value}{unit}' is not a value for {metric.Kind} " +
                                           "(latency takes ms/s/us, rates and shares take %, rps and dropped counts take a plain number)"),
        };
        if (metric.Kind == ThresholdMetricKind.DroppedShare && unit == "")
        {
            metric = metric with { Kind = ThresholdMetricKind.DroppedCount };
        }

        return new Threshold(text.Trim(), scenario, metric, match.Groups["op"].Value, limit, match.Groups["abort"].Success);
    }

    public bool AppliesTo(string scenario) => Scenario is null || string.Equals(Scenario, scenario, StringComparison.OrdinalIgnoreCase);

    /// <summary>The percentile this threshold needs computed, if any.</summary>
    public double? Percentile => Metric.Kind is ThresholdMetricKind.Latency or ThresholdMetricKind.ServiceTime ? Metric.Percentile : null;

    public ThresholdOutcome Evaluate(ScenarioResult result, bool abortedRun = false)
    {
        var total = result.Total;
        var due = result.Starts.Started + result.Starts.Dropped;
        var actual = Metric.Kind switch
        {
            ThresholdMetricKind.Latency => total.Latency.At(Metric.Percentile),
            ThresholdMetricKind.ServiceTime => total.ServiceTime.At(Metric.Percentile),
            ThresholdMetricKind.Mean => total.Latency.MeanMs,
            ThresholdMetricKind.Max => total.Latency.MaxMs,
            ThresholdMetricKind.FailRate => total.FailRate,
            ThresholdMetricKind.StatusShare => total.StatusShare(Metric.Status!),
            ThresholdMetricKind.RequestsPerSecond => total.RequestsPerSecond,
            ThresholdMetricKind.DroppedShare => due == 0 ? 0 : (double)result.Starts.Dropped / due,
            ThresholdMetricKind.DroppedCount => result.Starts.Dropped,
            _ => throw new InvalidOperationException($"unknown metric {Metric.Kind}"),
        };
        var passed = Comparison switch
        {
            "<" => actual < Limit,
            "<=" => actual <= Limit,
            ">" => actual > Limit,
            _ => actual >= Limit,
        };
        return new ThresholdOutcome(Text, result.Name, passed, Format(actual), abortedRun);
    }

    private string Format(double actual) => Metric.Kind switch
    {
        ThresholdMetricKind.FailRate or ThresholdMetricKind.StatusShare or ThresholdMetricKind.DroppedShare => actual.ToString("0.###%", CultureInfo.InvariantCulture),
        ThresholdMetricKind.RequestsPerSecond => actual.ToString("0.#", CultureInfo.InvariantCulture),
        ThresholdMetricKind.DroppedCount => actual.ToString("0", CultureInfo.InvariantCulture),
        _ => actual.ToString("0.###", CultureInfo.InvariantCulture) + " ms",
    };

    private static ThresholdMetric ParseMetric(string metric, string text)
    {
        var percentile = PercentilePattern().Match(metric);
        if (percentile.Success)
        {
            var value = double.Parse(percentile.Groups["p"].Value, CultureInfo.InvariantCulture);
            return value is > 0 and < 100
                ? new ThresholdMetric(percentile.Groups["service"].Success ? ThresholdMetricKind.ServiceTime : ThresholdMetricKind.Latency, value, null)
                : throw new FormatException($"threshold '{text}': a percentile is between 0 and 100");
        }

        var status = StatusPattern().Match(metric);
        if (status.Success)
        {
            return new ThresholdMetric(ThresholdMetricKind.StatusShare, 0, status.Groups["code"].Value);
        }

        return metric switch
        {
            "mean" => new ThresholdMetric(ThresholdMetricKind.Mean, 0, null),
            "max" => new ThresholdMetric(ThresholdMetricKind.Max, 0, null),
            "fail rate" => new ThresholdMetric(ThresholdMetricKind.FailRate, 0, null),
            "rps" => new ThresholdMetric(ThresholdMetricKind.RequestsPerSecond, 0, null),
            "dropped" => new ThresholdMetric(ThresholdMetricKind.DroppedShare, 0, null),
            _ => throw new FormatException($"threshold '{text}': unknown metric '{metric}'; expected {Syntax}"),
        };
    }

    [GeneratedRegex(@"^(?:(?<scenario>[\w.-]+)\s*:\s*)?(?<metric>[a-z0-9. ]+?)\s*(?<op><=|>=|<|>)\s*(?<value>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>ms|us|µs|s|%)?(?:\s+(?<abort>abort))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(?:(?<service>service)\s+)?p(?<p>[0-9]+(?:\.[0-9]+)?)$")]
    private static partial Regex PercentilePattern();

    [GeneratedRegex(@"^status\s+(?<code>[0-9a-z]+)\s+share$")]
    private static partial Regex StatusPattern();
}

public enum ThresholdMetricKind
{
    Latency,
    ServiceTime,
    Mean,
    Max,
    FailRate,
    StatusShare,
    RequestsPerSecond,
    DroppedShare,
    DroppedCount,
}

public sealed record ThresholdMetric(ThresholdMetricKind Kind, double Percentile, string? Status);
