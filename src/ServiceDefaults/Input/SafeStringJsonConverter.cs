using System.Text.Json;
using System.Text.Json.Serialization;

namespace LogisticsSync.ServiceDefaults.Input;

/// <summary>
/// Reads every JSON string through <see cref="InputRules"/>: a body with <c>"name":"a\u0000"</c> fails
/// to deserialise (a <see cref="JsonException"/>, answered 400) instead of reaching the database.
/// </summary>
public sealed class SafeStringJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string, found {reader.TokenType}.");
        }

        var value = reader.GetString()!;
        return InputRules.Violation(value, allowLineBreaks: true) is { } violation
            ? throw new InputRuleViolationException($"A string value {violation}.")
            : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
