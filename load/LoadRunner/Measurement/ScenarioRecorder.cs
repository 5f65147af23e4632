using HdrHistogram;
using LogisticsSync.LoadRunner.Scenarios;

namespace LogisticsSync.LoadRunner.Measurement;

/// <summary>
/// Collects one scenario's measurements from every concurrent iteration. Two latencies per request:
/// <b>latency</b> counts from when the request was due (its intended start), so time spent waiting behind a stalled
/// system or generator is not lost (coordinated omission corrected); <b>service time</b> counts from the actual send,
/// which is what tools that wait for a response before sending the next one report. Warm-up records are dropped.
/// </summary>
internal sealed class ScenarioRecorder(string scenario, IEnumerable<string> stepNames, TimeSpan measureFrom, TimeSpan startTolerance)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RequestRecorder> _steps = stepNames.ToDictionary(name => name, name => new RequestRecorder(name));
    private readonly RequestRecorder _total = new(scenario);
    private readonly List<TimelineSlot> _timeline = [];
    private readonly LongHistogram _startDelay = LatencyHistogram.Create();
    private long _started;
    private long _dropped;
    private long _late;
    private long _lateWithoutWaiting;
    private long _waitedForSlot;
    private long _inFlight;
    private TimeSpan _lastDone;

    public string Scenario { get; } = scenario;

    public TimeSpan MeasureFrom { get; } = measureFrom;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void IterationStarted(TimeSpan intended, TimeSpan started, bool waitedForSlot)
    {
        Interlocked.Increment(ref _inFlight);
        if (intended < MeasureFrom)
        {
            return;
        }

        var delay = started - intended;
        lock (_gate)
        {
            _started++;
            _startDelay.RecordValue(LatencyHistogram.Microseconds(delay));
            _waitedForSlot += waitedForSlot ? 1 : 0;
            if (delay > startTolerance)
            {
                _late++;
                _lateWithoutWaiting += waitedForSlot ? 0 : 1;
            }
        }
    }

    public void IterationEnded() => Interlocked.Decrement(ref _inFlight);

    public void Dropped(TimeSpan intended)
    {
        if (intended < MeasureFrom)
        {
            return;
        }

        lock (_gate)
        {
            _dropped++;
            Slot(intended).Dropped++;
        }
    }

    /// <param name="due">When the step should have started: the iteration's intended start for its first step, its actual send for the others.</param>
    public void Step(string step, TimeSpan due, TimeSpan sent, TimeSpan done, StepResult result, TimeSpan intendedIterationStart)
    {
        if (intendedIterationStart < MeasureFrom)
        {
            return;
        }

        var latency = LatencyHistogram.Microseconds(done - due);
        var service = LatencyHistogram.Microseconds(done - sent);
        lock (_gate)
        {
            _steps[step].Record(latency, service, result);
            _total.Record(latency, service, result);
            var slot = Slot(done);
            slot.Latency.RecordValue(latency);
            slot.Ok += result.IsSuccess ? 1 : 0;
            slot.Fail += result.IsSuccess ? 0 : 1;
            slot.BytesSent += result.BytesSent;
            slot.BytesReceived += result.BytesReceived;
            _lastDone = done > _lastDone ? done : _lastDone;
        }
    }

    /// <summary>A consistent picture so far (for live thresholds and progress) or at the end.</summary>
    public ScenarioResult Snapshot(IReadOnlyList<double> percentiles, ScenarioSettings settings, TimeSpan now, bool final)
    {
        lock (_gate)
        {
            var measured = ((final ? _lastDone : now) - MeasureFrom).TotalSeconds;
            var elapsed = Math.Max(measured, 1e-3);
            return new ScenarioResult(
                Scenario,
                settings.Model,
                settings.Stages,
                settings.MaxConcurrency,
                settings.PlannedStarts,
                _total.Summary(percentiles, elapsed),
                [.. _steps.Values.Select(s => s.Summary(percentiles, elapsed))],
                new StartSummary(_started, _dropped, _late, _lateWithoutWaiting, _waitedForSlot, startTolerance, Summarize(_startDelay, percentiles)),
                final ? [.. _timeline.Select((slot, second) => slot.ToPoint(second, percentiles))] : [],
                final ? Distribution(_total.Latency) : [],
                final ? Distribution(_total.ServiceTime) : []);
        }
    }

    /// <summary>The last complete second, for the live view.</summary>
    public TimelinePoint? LastSecond(TimeSpan now, IReadOnlyList<double> percentiles)
    {
        var second = (int)Math.Floor((now - MeasureFrom).TotalSeconds) - 1;
        lock (_gate)
        {
            return second >= 0 && second < _timeline.Count ? _timeline[second].ToPoint(second, percentiles) : null;
        }
    }

    internal static LatencySummary Summarize(LongHistogram histogram, IReadOnlyList<double> percentiles) =>
        histogram.TotalCount == 0
            ? LatencySummary.Empty with { Percentiles = [.. percentiles.Select(p => new PercentileValue(p, 0))] }
            : new LatencySummary(
                histogram.GetMean() / 1000,
                LatencyHistogram.Milliseconds(histogram.LowestEquivalentValue(histogram.RecordedValues().First().ValueIteratedTo)),
                LatencyHistogram.Milliseconds(histogram.GetMaxValue()),
                histogram.GetStdDeviation() / 1000,
                [.. percentiles.Select(p => new PercentileValue(p, LatencyHistogram.Milliseconds(histogram.GetValueAtPercentile(p))))]);

    /// <summary>
    /// The percentile spectrum (HdrHistogram's classic plot), 5 points per halving of the remaining tail. The iteration
    /// ends at 100 %, which no finite sample resolves: the last point is put at the rank of the last sample instead, so
    /// that the plot's axis stops where the data does.
    /// </summary>
    private static List<DistributionPoint> Distribution(LongHistogram histogram)
    {
        var lastRank = 100.0 * (1 - (1.0 / Math.Max(2, histogram.TotalCount)));
        return histogram.TotalCount == 0
            ? []
            : [.. histogram.Percentiles(5).Select(v => new DistributionPoint(Math.Min(v.PercentileLevelIteratedTo, lastRank), LatencyHistogram.Milliseconds(v.ValueIteratedTo)))];
    }

    private TimelineSlot Slot(TimeSpan at)
    {
        var second = Math.Max(0, (int)Math.Floor((at - MeasureFrom).TotalSeconds));
        while (_timeline.Count <= second)
        {
            _timeline.Add(new TimelineSlot());
        }

        return _timeline[second];
    }

    private sealed class TimelineSlot
    {
        public LongHistogram Latency { get; } = LatencyHistogram.CreateCoarse();

        public long Ok { get; set; }

        public long Fail { get; set; }

        public long Dropped { get; set; }

        public long BytesSent { get; set; }

        public long BytesReceived { get; set; }

        public TimelinePoint ToPoint(int second, IReadOnlyList<double> percentiles) =>
            new(second, Ok, Fail, Dropped, BytesSent, BytesReceived, Summarize(Latency, percentiles).Percentiles);
    }

    private sealed class RequestRecorder(string name)
    {
        private readonly Dictionary<string, long> _statusCodes = [];
        private long _ok;
        private long _fail;
        private long _bytesSent;
        private long _bytesReceived;

        public LongHistogram Latency { get; } = LatencyHistogram.Create();

        public LongHistogram ServiceTime { get; } = LatencyHistogram.Create();

        public void Record(long latency, long service, StepResult result)
        {
            Latency.RecordValue(latency);
            ServiceTime.RecordValue(service);
            _ok += result.IsSuccess ? 1 : 0;
            _fail += result.IsSuccess ? 0 : 1;
            _bytesSent += result.BytesSent;
            _bytesReceived += result.BytesReceived;
            _statusCodes[result.StatusCode] = _statusCodes.GetValueOrDefault(result.StatusCode) + 1;
        }

        public RequestSummary Summary(IReadOnlyList<double> percentiles, double seconds) => new(
            name, _ok, _fail, (_ok + _fail) / seconds, Summarize(Latency, percentiles), Summarize(ServiceTime, percentiles),
            new SortedDictionary<string, long>(_statusCodes, StringComparer.Ordinal), _bytesSent, _bytesReceived);
    }
}
