using System.Text.Json;

namespace LogisticsSync.ServiceDefaults.Input;

/// <summary>The JSON options every body from outside is read with: the web defaults plus <see cref="SafeStringJsonConverter"/>.</summary>
public static class InputJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Adds the input rules to <paramref name="options"/> (minimal APIs' own options, say).</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        if (!options.Converters.OfType<SafeStringJsonConverter>().Any())
        {
            options.Converters.Add(new SafeStringJsonConverter());
        }
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
