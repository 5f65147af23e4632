using System.Globalization;
using System.Net;
using LogisticsSync.LoadRunner.Scenarios;

namespace LogisticsSync.Load.Scenarios.Partners;

/// <summary>
/// A careful partner client: each attempt has its own timeout, and a lost answer (timeout, failed connection) or a
/// "not now" (409 still in flight, 429, 502, 503, 504) is asked again after a pause — with the same idempotency key
/// or webhook id, which the caller puts into every attempt it builds. The step's time includes the retries.
/// </summary>
internal sealed class RetryingSender(HttpClient client, TimeSpan attemptTimeout, int retries)
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);
    private long _retried;

    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>The connection pool the attempts use, for the caller's plain requests too.</summary>
    public HttpClient Client => client;

    /// <summary>
    /// One client for a whole run (connections pooled, as a partner's integration keeps them); no client-wide timeout,
    /// because each attempt has its own and a retry is the client's decision.
    /// </summary>
    public static HttpClient CreateClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false, MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <param name="createAttempt">A new request per attempt (a webhook is signed afresh when resent).</param>
    public async Task<StepResult> SendAsync(Func<HttpRequestMessage> createAttempt, Func<HttpResponseMessage, bool> isSuccess, CancellationToken cancellationToken)
    {
        var sent = 0L;
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(attemptTimeout);
            using var request = createAttempt();
            sent += request.Content?.Headers.ContentLength ?? 0;
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await client.SendAsync(request, timeout.Token);
                var received = (await response.Content.ReadAsByteArrayAsync(timeout.Token)).Length;
                if (!IsRetryable(response.StatusCode) || attempt >= retries)
                {
                    return new StepResult(isSuccess(response), ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), sent, received);
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException && !cancellationToken.IsCancellationRequested && attempt < retries)
            {
                // the answer was lost, late or the connection failed: ask again
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return StepResult.Fail("timeout", $"no answer in {retries + 1} attempts of {attemptTimeout.TotalSeconds:0.#} s", sent);
            }

            Interlocked.Increment(ref _retried);
            // Retry-After when the server gave one (capped: a load test is short), else a short jittered back-off.
            var pause = retryAfter is { } delta ? (delta < LongestPause ? delta : LongestPause) : TimeSpan.FromMilliseconds(50 * (attempt + 1) * (1 + Random.Shared.NextDouble()));
            await Task.Delay(pause, cancellationToken);
        }
    }

    private static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
