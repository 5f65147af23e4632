using LogisticsSync.ServiceDefaults.Protocol.Shipments;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// A release command in its one canonical form, the one fingerprinted and stored: defaults filled in,
/// the promise in UTC, weights without trailing zeros. Two bodies that mean the same release have the
/// same canonical form whatever their JSON spelling.
/// </summary>
internal static class ReleaseShipmentCanonical
{
    public const string Command = "shipments.release";

    // Dividing by 1 with 28 decimal places keeps the value and drops trailing zeros: 1.250 and 1.25 are one weight.
    private const decimal ScaleNormaliser = 1.0000000000000000000000000000m;

    public static ReleaseShipmentRequest Canonical(this ReleaseShipmentRequest request) => request with
    {
        SourceSystem = request.SourceSystem ?? ReleaseShipmentValidation.DefaultSourceSystem,
        PromisedBy = request.PromisedBy?.ToUniversalTime(),
        Lines = request.Lines?.Select(line => line with { WeightKg = line.WeightKg / ScaleNormaliser }).ToList(),
    };
}
