using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using LogisticsSync.Simulators.Telemetry;

namespace LogisticsSync.Simulators.Tms;

/// <summary>What the TMS has answered so far (<c>GET /tms/tenders</c>).</summary>
public sealed record TenderReport(int Tenders, int Booked, int Rejected, int Unavailable, int Replayed, IReadOnlyList<TenderAnswer> Final);

/// <summary>
/// The TMS's tender book: one answer per tender id. The first request forwards to the carrier; a repeat (or a
/// concurrent twin) gets the same answer without a second booking call. Only the carrier's word is kept for good
/// (booked, rejected): an <c>unavailable</c> is not an answer from the carrier, so a repeat of that tender id asks the
/// carrier again — safe, because the carrier's booking API is idempotent per tender id too.
/// </summary>
internal sealed partial class TenderDesk(CarrierBookingClient carriers, SimulatorMetrics metrics, ILogger<TenderDesk> logger)
{
    private readonly ConcurrentDictionary<Guid, Entry> _tenders = new();
    private int _unavailable;
    private int _replayed;

    /// <returns>The answer and whether it is a replay; null when the tender id was used before for another tender.</returns>
    public async Task<(TenderAnswer Answer, bool Replayed)?> TenderAsync(TenderRequest tender)
    {
        var tenderId = tender.TenderId!.Value;
        var fingerprint = Fingerprint(tender);
        var mine = new Entry(fingerprint, new TaskCompletionSource<TenderAnswer>(TaskCreationOptions.RunContinuationsAsynchronously));
        var entry = _tenders.GetOrAdd(tenderId, mine);
        if (entry != mine)
        {
            if (entry.Fingerprint != fingerprint)
            {
                return null;
            }

            var replay = await entry.Answer.Task;
            Interlocked.Increment(ref _replayed);
            metrics.TenderAnswered(replay.CarrierId, replay.Outcome, replayed: true);
            return (replay, true);
        }

        try
        {
            // Not the caller's token: once forwarded, the answer must be recorded even if the caller hung up,
            // or its retry would find nothing and book again. The pipeline's timeouts bound the wait.
            var answer = await carriers.BookAsync(tender, CancellationToken.None);
            if (!answer.IsFinal)
            {
                _tenders.TryRemove(new KeyValuePair<Guid, Entry>(tenderId, mine));
                Interlocked.Increment(ref _unavailable);
            }

            mine.Answer.SetResult(answer);
            metrics.TenderAnswered(answer.CarrierId, answer.Outcome, replayed: false);
            LogAnswered(tenderId, tender.BusinessKey!, answer.CarrierId, answer.Outcome, answer.Reason);
            return (answer, false);
        }
        catch (Exception exception)
        {
            _tenders.TryRemove(new KeyValuePair<Guid, Entry>(tenderId, mine));
            mine.Answer.SetException(exception);
            throw;
        }
    }

    /// <summary>The TMS's final answer to a tender (booked or rejected); null when it has none.</summary>
    public TenderAnswer? Find(Guid tenderId) =>
        _tenders.TryGetValue(tenderId, out var entry) && entry.Answer.Task.IsCompletedSuccessfully ? entry.Answer.Task.Result : null;

    public TenderReport Report()
    {
        var final = _tenders.Values.Where(e => e.Answer.Task.IsCompletedSuccessfully).Select(e => e.Answer.Task.Result).OrderBy(a => a.TenderId).ToList();
        var unavailable = Volatile.Read(ref _unavailable);
        return new TenderReport(final.Count + unavailable, final.Count(a => a.Outcome == TenderAnswer.Booked), final.Count(a => a.Outcome == TenderAnswer.Rejected),
            unavailable, Volatile.Read(ref _replayed), final);
    }

    /// <summary>The tender as the TMS understood it, so a reordered or reformatted repeat is still the same tender.</summary>
    private static string Fingerprint(TenderRequest tender) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(tender, JsonSerializerOptions.Web)));

    private sealed record Entry(string Fingerprint, TaskCompletionSource<TenderAnswer> Answer);

    [LoggerMessage(EventId = LogEventIds.TenderDeskAnswered, Level = LogLevel.Information, Message = "Tender {TenderId} for {BusinessKey} to {CarrierId}: {Outcome} {Reason}")]
    private partial void LogAnswered(Guid tenderId, string businessKey, string carrierId, string outcome, string? reason);
}
