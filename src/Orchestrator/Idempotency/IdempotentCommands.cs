using System.Text.Json;
using LogisticsSync.ServiceDefaults.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LogisticsSync.Orchestrator.Idempotency;

/// <summary>What a command answered: replayed byte for byte to a retry with the same key and body.</summary>
internal sealed record CommandResponse(int StatusCode, string Body, string? Location = null);

/// <summary>
/// <c>Idempotency-Key</c> semantics (IETF httpapi draft) kept in Redis: the first request with a key
/// stores its fingerprint and, once done, its response; a retry with the same key and body gets that
/// response again (marked <c>Idempotent-Replayed: true</c>); the same key with another body is a 422; a
/// duplicate that arrives while the first is still running waits briefly, then gets a 409. Redis is
/// the fast path only: when it is unreachable the command runs anyway, and the business key's unique
/// constraint in PostgreSQL keeps it from creating anything twice.
/// </summary>
internal sealed partial class IdempotentCommands(
    IConnectionMultiplexer redis,
    IOptions<IdempotencyOptions> options,
    ILogger<IdempotentCommands> logger)
{
    public const string HeaderName = ProtocolHeaders.IdempotencyKey;
    public const string ReplayedHeaderName = ProtocolHeaders.IdempotentReplayed;
    private const int MaxKeyLength = 255;

    public static string? Validate(string? key) => key switch
    {
        null or "" => $"The {HeaderName} header is required for this command.",
        { Length: > MaxKeyLength } => $"The {HeaderName} header must be at most {MaxKeyLength} characters.",
        _ when key.Any(c => c is < ' ' or > '~') => $"The {HeaderName} header must be printable ASCII.",
        _ => null,
    };

    public async Task<IResult> ExecuteAsync(string scope, string key, string fingerprint, Func<Task<CommandResponse>> command)
    {
        var redisKey = new RedisKey($"idempotency:{scope}:{key}");
        var deadline = DateTime.UtcNow + options.Value.InFlightWait;
        while (true)
        {
            bool acquired;
            try
            {
                acquired = await redis.GetDatabase().StringSetAsync(
                    redisKey, Serialize(new StoredCommand(fingerprint, null)), options.Value.InFlightLease, When.NotExists);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogRedisUnavailable(exception.Message);
                return ToResult(await command(), replayed: false);
            }

            if (acquired)
            {
                return ToResult(await RunAndRememberAsync(redisKey, fingerprint, command), replayed: false);
            }

            StoredCommand? stored;
            try
            {
                stored = await TryReadAsync(redisKey);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or JsonException)
            {
                LogRedisUnavailable(exception.Message);
                return ToResult(await command(), replayed: false);
            }

            if (stored is null)
            {
                // Expired or released by a failed first attempt between our SET and GET: try to take it.
                continue;
            }

            if (AnswerToRepeat(stored, key, fingerprint, deadline) is { } answer)
            {
                return answer;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// What a request gets whose key another request holds: a 422 for another body, the stored response once the first is
    /// done, a 409 when it is still running at the deadline; null while it is worth waiting.
    /// </summary>
    private static IResult? AnswerToRepeat(StoredCommand stored, string key, string fingerprint, DateTime deadline)
    {
        if (stored.Fingerprint != fingerprint)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency key reused with a different request",
                detail: $"The {HeaderName} '{key}' was first used with another request body; use a new key for a new request.");
        }

        if (stored.Response is { } response)
        {
            return ToResult(response, replayed: true);
        }

        return DateTime.UtcNow >= deadline
            ? Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "A request with this idempotency key is still being processed",
                detail: $"Retry later with the same {HeaderName} to get its response.")
            : null;
    }

    private async Task<CommandResponse> RunAndRememberAsync(RedisKey redisKey, string fingerprint, Func<Task<CommandResponse>> command)
    {
        CommandResponse response;
        try
        {
            response = await command();
        }
        catch
        {
            await TryForgetAsync(redisKey);
            throw;
        }

        try
        {
            if (response.StatusCode >= 500)
            {
                // A server-side failure is not an answer worth replaying: let the retry run the command.
                await redis.GetDatabase().KeyDeleteAsync(redisKey);
            }
            else
            {
                await redis.GetDatabase().StringSetAsync(redisKey, Serialize(new StoredCommand(fingerprint, response)), options.Value.Retention, When.Exists);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The command is done; a retry will find the business key in PostgreSQL instead.
            LogRedisUnavailable(exception.Message);
        }

        return response;
    }

    private async Task<StoredCommand?> TryReadAsync(RedisKey redisKey)
    {
        var value = await redis.GetDatabase().StringGetAsync(redisKey);
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<StoredCommand>(value.ToString(), JsonSerializerOptions.Web);
    }

    private async Task TryForgetAsync(RedisKey redisKey)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(redisKey);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogRedisUnavailable(exception.Message);
        }
    }

    private static IResult ToResult(CommandResponse response, bool replayed) => new CommandResult(response, replayed);

    private static string Serialize(StoredCommand stored) => JsonSerializer.Serialize(stored, JsonSerializerOptions.Web);

    [LoggerMessage(EventId = LogEventIds.IdempotentCommandsRedisUnavailable, Level = LogLevel.Warning, Message = "Redis is unavailable for idempotency keys; relying on the database backstop: {Reason}")]
    private partial void LogRedisUnavailable(string reason);

    private sealed record StoredCommand(string Fingerprint, CommandResponse? Response);

    private sealed class CommandResult(CommandResponse response, bool replayed) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = response.StatusCode;
            httpContext.Response.ContentType = response.StatusCode >= 400 ? "application/problem+json" : "application/json";
            if (response.Location is not null)
            {
                httpContext.Response.Headers.Location = response.Location;
            }

            if (replayed)
            {
                httpContext.Response.Headers[ReplayedHeaderName] = "true";
            }

            await httpContext.Response.WriteAsync(response.Body);
        }
    }
}
