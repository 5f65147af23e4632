using System.Text.RegularExpressions;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;

namespace LogisticsSync.Orchestrator.Shipments;

internal static partial class ReleaseShipmentValidation
{
    public const string DefaultSourceSystem = "erp";

    /// <summary>Every problem at once, keyed by the JSON path of the field, as RFC 9457 validation problems list them.</summary>
    public static Dictionary<string, string[]> Validate(ReleaseShipmentRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(request.BusinessKey))
        {
            Fail("businessKey", "is required (the ERP order or delivery number).");
        }
        else if (!KeyPattern().IsMatch(request.BusinessKey))
        {
            Fail("businessKey", "must be 1-64 characters of letters, digits, '.', '_' or '-'.");
        }

        if (request.SourceSystem is { } source && !KeyPattern().IsMatch(source))
        {
            Fail("sourceSystem", "must be 1-64 characters of letters, digits, '.', '_' or '-'.");
        }

        if (string.IsNullOrWhiteSpace(request.Customer?.Id))
        {
            Fail("customer.id", "is required.");
        }

        ValidateAddress(request.ShipTo, Fail);
        ValidateLines(request.Lines, Fail);
        if (request.PromisedBy is null)
        {
            Fail("promisedBy", "is required (the promised delivery time, ISO 8601 with offset).");
        }

        if (request.ServiceLevel is { } level && !ServiceLevels.All.Contains(level))
        {
            Fail("serviceLevel", $"must be one of: {string.Join(", ", ServiceLevels.All)}.");
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private static void ValidateLines(IReadOnlyList<OrderLine>? lines, Action<string, string> fail)
    {
        if (lines is not { Count: > 0 })
        {
            fail("lines", "must contain at least one line.");
        }
        else
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                if (string.IsNullOrWhiteSpace(line.Sku))
                {
                    fail($"lines[{i}].sku", "is required.");
                }

                if (line.Quantity <= 0)
                {
                    fail($"lines[{i}].quantity", "must be greater than 0.");
                }

                if (line.WeightKg <= 0)
                {
                    fail($"lines[{i}].weightKg", "must be greater than 0.");
                }
            }
        }
    }

    private static void ValidateAddress(Address? address, Action<string, string> fail)
    {
        if (address is null)
        {
            fail("shipTo", "is required.");
            return;
        }

        if (string.IsNullOrWhiteSpace(address.Name))
        {
            fail("shipTo.name", "is required.");
        }

        if (string.IsNullOrWhiteSpace(address.City))
        {
            fail("shipTo.city", "is required.");
        }

        if (address.Country is not { Length: 2 } country || !country.All(char.IsAsciiLetterUpper))
        {
            fail("shipTo.country", "must be an ISO 3166-1 alpha-2 code, e.g. DE.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyPattern();
}
