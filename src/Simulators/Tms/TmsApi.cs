using System.Globalization;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;

namespace LogisticsSync.Simulators.Tms;

/// <summary>
/// The TMS's API, called by the orchestrator (docs/flows.md, "Order-to-ship: tendering"): rates and tenders, both
/// behind the TMS's own fault profile (outage 503, rate limit 429, latency, error share 503).
/// </summary>
internal static class TmsApi
{
    public const int MaxTenders = 1000;

    public static IEndpointRouteBuilder MapTmsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/tms/api").WithTags("TMS API")
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<SystemApiFaults>().InvokeAsync(context, next));
        api.MapGet("/rates", Rates);
        api.MapPost("/tenders", TenderAsync);
        endpoints.MapGet("/tms/tenders", (TenderDesk desk) => TypedResults.Ok(desk.Report()));
        // A read of the TMS's own tender book, outside the fault profile: reconciliation must see what the TMS recorded.
        endpoints.MapPost("/tms/api/tenders/query", (TenderQuery query, TenderDesk desk) =>
            query.TenderIds is not { Count: > 0 and <= MaxTenders } ids
                ? Results.ValidationProblem(new Dictionary<string, string[]> { ["tenderIds"] = [$"is required: 1 to {MaxTenders} tender ids."] },
                    title: "The tender query is invalid")
                : Results.Ok(new TenderQueryAnswer(
                    [.. ids.Distinct().Select(desk.Find).OfType<TenderAnswer>()],
                    [.. ids.Distinct().Where(id => desk.Find(id) is null)])))
            .WithTags("TMS API");
        return endpoints;
    }

    private static IResult Rates(string? businessKey, string? serviceLevel, string? country, string? weightKg, SimulationSeed seed)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(businessKey))
        {
            errors["businessKey"] = ["is required."];
        }

        if (serviceLevel is null || !RateCard.ServiceLevels.Contains(serviceLevel))
        {
            errors["serviceLevel"] = [$"must be one of: {string.Join(", ", RateCard.ServiceLevels)} (was '{serviceLevel}')."];
        }

        if (country is not { Length: 2 } || !country.All(char.IsAsciiLetterUpper))
        {
            errors["country"] = [$"must be an ISO 3166-1 alpha-2 code such as DE (was '{country}')."];
        }

        if (!decimal.TryParse(weightKg, NumberStyles.Number, CultureInfo.InvariantCulture, out var weight) || weight is <= 0 or > 30_000)
        {
            errors["weightKg"] = [$"must be a number of kilograms above 0 and at most 30000 (was '{weightKg}')."];
        }

        return errors.Count > 0
            ? Results.ValidationProblem(errors, title: "The rate request is invalid")
            : TypedResults.Ok(RateCard.Quote(seed.Value, businessKey!, serviceLevel!, country!, weight));
    }

    private static async Task<IResult> TenderAsync(TenderRequest tender, HttpContext context, TenderDesk desk)
    {
        if (tender.Validate(context.Request.Headers[TenderRequest.IdempotencyKeyHeader]) is { Count: > 0 } errors)
        {
            return Results.ValidationProblem(errors, title: "The tender is invalid");
        }

        if (await desk.TenderAsync(tender) is not { } answer)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Tender id reused",
                detail: $"Tender {tender.TenderId} was sent before with another body; a new tender needs a new tenderId.");
        }

        if (answer.Replayed)
        {
            context.Response.Headers[ProtocolHeaders.IdempotentReplayed] = "true";
        }

        return TypedResults.Ok(answer.Answer);
    }
}

/// <summary>A tender query: the tender ids the orchestrator sent.</summary>
public sealed record TenderQuery(IReadOnlyList<Guid>? TenderIds);

/// <summary>The TMS's final answers to the tenders it has, and the ids it has no answer for.</summary>
public sealed record TenderQueryAnswer(IReadOnlyList<TenderAnswer> Tenders, IReadOnlyList<Guid> Unknown);
