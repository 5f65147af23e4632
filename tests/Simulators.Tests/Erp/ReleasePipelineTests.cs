using System.Net;
using LogisticsSync.Simulators.Erp;

namespace LogisticsSync.Simulators.Tests.Erp;

public sealed class ReleasePipelineTests
{
    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.Conflict, true)]
    [InlineData(HttpStatusCode.Created, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    public void IsTransient_RetriesWhatRetryingCanChange(HttpStatusCode status, bool transient)
    {
        Assert.Equal(transient, ReleasePipeline.IsTransient(status));
    }

    [Fact]
    public void Backoff_DoublesPerAttempt_WithSeededJitterInTheUpperHalf()
    {
        var first = TimeSpan.FromMilliseconds(200);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var exponential = first * Math.Pow(2, attempt);
            var delay = ReleasePipeline.Backoff(first, attempt, 7, "SO-1");
            Assert.InRange(delay, exponential / 2, exponential);
            Assert.Equal(delay, ReleasePipeline.Backoff(first, attempt, 7, "SO-1"));
        }

        Assert.NotEqual(ReleasePipeline.Backoff(first, 1, 7, "SO-1"), ReleasePipeline.Backoff(first, 1, 7, "SO-2"));
    }
}
