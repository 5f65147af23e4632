using System.Diagnostics;
using System.Text;
using LogisticsSync.ServiceDefaults.Tracing;

namespace LogisticsSync.ServiceDefaults.Tests.Tracing;

public sealed class TraceContextTests : IDisposable
{
    private const string ValidParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    // Without a listener the source starts no activities: this one samples everything from the estate's source.
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == EstateActivities.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public TraceContextTests()
    {
        ActivitySource.AddActivityListener(_listener);
        Activity.Current = null;
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public void WriteTo_ThenFrom_RoundTripsParentAndState()
    {
        var headers = new Dictionary<string, object?>();

        new TraceContext(ValidParent, "vendor=abc").WriteTo(headers);
        var read = TraceContext.From(headers);

        Assert.Equal(ValidParent, read.TraceParent);
        Assert.Equal("vendor=abc", read.TraceState);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", read.Parent.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", read.Parent.SpanId.ToHexString());
        Assert.True(read.Parent.IsRemote);
    }

    [Fact]
    public void From_HeadersAsBrokerBytes_ReadsThem()
    {
        // What RabbitMQ.Client hands a consumer: AMQP long strings as UTF-8 bytes.
        var headers = new Dictionary<string, object?> { ["traceparent"] = Encoding.UTF8.GetBytes(ValidParent) };

        Assert.Equal(ValidParent, TraceContext.From(headers).TraceParent);
    }

    [Theory]
    [InlineData("not-a-traceparent")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b71-01")]
    [InlineData("")]
    public void Parent_MalformedTraceparent_IsIgnored(string malformed) =>
        Assert.Equal(default, new TraceContext(malformed, null).Parent);

    [Fact]
    public void From_NoHeadersOrOtherTypes_IsNone()
    {
        Assert.Equal(default, TraceContext.From(null));
        Assert.Equal(default, TraceContext.From(new Dictionary<string, object?> { ["traceparent"] = 42 }));
    }

    [Fact]
    public void StartConsume_HeaderFromPublish_ContinuesTheSameTrace()
    {
        var headers = new Dictionary<string, object?>();
        string traceId;
        using (var publish = EstateActivities.StartPublish("events", new TraceContext(ValidParent, null), headers))
        {
            Assert.NotNull(publish);
            Assert.Equal(ActivityKind.Producer, publish.Kind);
            traceId = publish.TraceId.ToHexString();
            Assert.Equal("b7ad6b7169203331", publish.ParentSpanId.ToHexString());
        }

        using var consume = EstateActivities.StartConsume("queue", headers);

        Assert.NotNull(consume);
        Assert.Equal(ActivityKind.Consumer, consume.Kind);
        Assert.Equal(traceId, consume.TraceId.ToHexString());
        Assert.Equal(TraceContext.From(headers).Parent.SpanId, consume.ParentSpanId);
    }

    [Fact]
    public void StartConsume_MalformedHeader_StartsANewTraceWithoutFailing()
    {
        var headers = new Dictionary<string, object?> { ["traceparent"] = Encoding.UTF8.GetBytes("00-garbage"), ["tracestate"] = "x" };

        using var consume = EstateActivities.StartConsume("queue", headers);

        Assert.NotNull(consume);
        Assert.Null(consume.Parent);
        Assert.Equal(default, consume.ParentSpanId);
    }

    [Fact]
    public void StartPublish_NothingListening_StillCarriesTheParentOn()
    {
        _listener.Dispose();
        var headers = new Dictionary<string, object?>();

        using var publish = EstateActivities.StartPublish("events", new TraceContext(ValidParent, "vendor=abc"), headers);

        // Another test class's host may listen to the source in parallel: then the span's context goes, in the same trace.
        Assert.Equal(publish is null ? ValidParent : publish.Id, headers["traceparent"]);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", TraceContext.From(headers).Parent.TraceId.ToHexString());
        Assert.Equal("vendor=abc", headers["tracestate"]);
    }

    [Fact]
    public void Current_InsideAnActivity_IsItsContext_OutsideNone()
    {
        Assert.Equal(default, TraceContext.Current);

        using var activity = EstateActivities.StartContinuing("work", new TraceContext(ValidParent, null));

        Assert.Equal(activity!.Id, TraceContext.Current.TraceParent);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", TraceContext.Current.Parent.TraceId.ToHexString());
    }

    [Fact]
    public void StartLinked_LinksEveryValidContext_ParentOfNone()
    {
        var other = "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01";

        using var batch = EstateActivities.StartLinked("batch", [new(ValidParent, null), new(other, null), new("bad", null), default]);

        Assert.NotNull(batch);
        Assert.Null(batch.Parent);
        Assert.Equal(2, batch.Links.Count());
    }
}
