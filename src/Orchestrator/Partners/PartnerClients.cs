using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Protocol.Tendering;

namespace LogisticsSync.Orchestrator.Partners;

/// <summary>The orchestrator's view of the TMS: rates and tenders, through the partner's resilience pipeline.</summary>
internal sealed class TmsClient(HttpClient http)
{
    public async Task<IReadOnlyList<RateQuote>> GetRatesAsync(string businessKey, string serviceLevel, string country, decimal weightKg, CancellationToken cancellationToken)
    {
        var query = $"/tms/api/rates?businessKey={Uri.EscapeDataString(businessKey)}&serviceLevel={Uri.EscapeDataString(serviceLevel)}" +
            $"&country={Uri.EscapeDataString(country)}&weightKg={weightKg.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        using var response = await PartnerUnavailableException.SendAsync(PartnerNames.Tms, () => http.GetAsync(query, cancellationToken));
        await EnsureAnsweredAsync(response, "rates", cancellationToken);
        var rates = await ReadAsync<RateQuotes>(response, "rates", cancellationToken);
        return rates.Quotes?.Where(q => !string.IsNullOrWhiteSpace(q.CarrierId)).ToList() ?? [];
    }

    public async Task<TenderAnswer> TenderAsync(TenderRequest tender, CancellationToken cancellationToken)
    {
        using var response = await PartnerUnavailableException.SendAsync(PartnerNames.Tms, async () =>
        {
            // The same key on every attempt the pipeline makes: a retry after a lost answer gets the first answer again.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/tms/api/tenders") { Content = JsonContent.Create(tender, options: JsonSerializerOptions.Web) };
            request.Headers.Add(ProtocolHeaders.IdempotencyKey, tender.TenderId.ToString());
            return await http.SendAsync(request, cancellationToken);
        });
        await EnsureAnsweredAsync(response, "tender", cancellationToken);
        var answer = await ReadAsync<TenderAnswer>(response, "tender", cancellationToken);
        return answer.Outcome is TenderAnswer.Booked or TenderAnswer.Rejected or TenderAnswer.Unavailable
            ? answer
            : throw new PartnerUnavailableException(PartnerNames.Tms, $"tender answer has unknown outcome '{answer.Outcome}'");
    }

    /// <summary>A 4xx other than 429 means our request was wrong: still no answer to act on, but say what the TMS said.</summary>
    internal static async Task EnsureAnsweredAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new PartnerUnavailableException(PartnerNames.Tms, $"{what} refused with {(int)response.StatusCode}: {Truncate(body)}");
        }
    }

    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken)
                ?? throw new PartnerUnavailableException(PartnerNames.Tms, $"{what} answer is empty");
        }
        catch (JsonException exception)
        {
            throw new PartnerUnavailableException(PartnerNames.Tms, $"{what} answer is not the agreed JSON: {exception.Message}", inner: exception);
        }
    }

    internal static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>What the ERP made of a posting: posted now (201) or posted before (200, a repeat).</summary>
internal sealed record PostingAnswer(bool PostedNow, string? Document);

/// <summary>The ERP's system API (deliver-to-cash), through the partner's resilience pipeline.</summary>
internal sealed class ErpClient(HttpClient http)
{
    public Task<PostingAnswer> PostGoodsIssueAsync(Guid shipmentId, string businessKey, DateTimeOffset occurredAt, CancellationToken cancellationToken) =>
        PostAsync("/erp/api/goods-issues", shipmentId, businessKey, occurredAt, cancellationToken);

    public Task<PostingAnswer> PostInvoiceTriggerAsync(Guid shipmentId, string businessKey, DateTimeOffset occurredAt, CancellationToken cancellationToken) =>
        PostAsync("/erp/api/invoice-triggers", shipmentId, businessKey, occurredAt, cancellationToken);

    private async Task<PostingAnswer> PostAsync(string path, Guid shipmentId, string businessKey, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        using var response = await PartnerUnavailableException.SendAsync(PartnerNames.Erp,
            () => http.PostAsJsonAsync(path, new { shipmentId, businessKey, occurredAt }, JsonSerializerOptions.Web, cancellationToken));
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new PartnerUnavailableException(PartnerNames.Erp, $"{path} refused with {(int)response.StatusCode}: {TmsClient.Truncate(body)}");
        }

        string? document = null;
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
        {
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            document = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("document", out var value) ? value.ToString() : null;
        }

        return new PostingAnswer(response.StatusCode == HttpStatusCode.Created, document ?? response.Headers.Location?.ToString());
    }
}
