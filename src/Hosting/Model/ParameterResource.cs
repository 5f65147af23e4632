namespace LogisticsSync.Hosting.Model;

/// <summary>
/// A value the model takes from outside, as Aspire's <c>AddParameter</c>: given on the command line as
/// <c>--name value</c>, or else its default; a secret without either is generated on first start and kept in the
/// state folder's <c>secrets.json</c> (0600), so a restart keeps it and <c>--fresh</c> makes a new one. It is
/// not a process: resources take it as environment (<c>WithEnvironment(name, parameter)</c>).
/// </summary>
public sealed class ParameterResource
{
    internal ParameterResource(string name, bool secret, string? givenValue, Func<string>? generate)
    {
        Name = ResourceNameRules.Validate(name);
        Secret = secret;
        GivenValue = givenValue;
        Generate = generate;
    }

    public string Name { get; }

    /// <summary>Masked wherever the estate shows environment, and generated when nothing gives it.</summary>
    public bool Secret { get; }

    internal string? GivenValue { get; }

    /// <summary>How a generated secret looks when letters and digits do not fit its format (e.g. <c>whsec_</c> + base64).</summary>
    internal Func<string>? Generate { get; }
}
