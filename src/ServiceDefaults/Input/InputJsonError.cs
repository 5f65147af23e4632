using System.Text.Json;

namespace LogisticsSync.ServiceDefaults.Input;

/// <summary>A JSON string that breaks <see cref="InputRules"/>: its message is ours, so a partner may read it.</summary>
public sealed class InputRuleViolationException(string message) : JsonException(message);

/// <summary>
/// What a partner is told about a body that did not deserialise: where (JSON path, line, byte) and, for our
/// own input rules, why. System.Text.Json's own messages name .NET types ("could not be converted to
/// LogisticsSync.Orchestrator...."), which is the server's inside, so they are not passed on.
/// </summary>
public static class InputJsonError
{
    public static string Describe(JsonException exception)
    {
        var where = exception.Path is { } path
            ? $" at {path} (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})"
            : exception.LineNumber is { } line ? $" at line {line + 1}, byte {exception.BytePositionInLine + 1}" : "";
        return exception is InputRuleViolationException
            ? $"{FirstSentence(exception.Message)}{where}."
            : $"The body is not valid JSON of the expected shape{where}.";
    }

    // System.Text.Json appends " Path: ... | LineNumber: ..." to the message it was given.
    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].TrimEnd('.');
}
