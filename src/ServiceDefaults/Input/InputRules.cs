namespace LogisticsSync.ServiceDefaults.Input;

/// <summary>
/// What text the estate accepts from outside, wherever it arrives (path, query, JSON string). PostgreSQL
/// cannot store NUL in <c>text</c> or <c>\u0000</c> in <c>jsonb</c>, a lone UTF-16 surrogate cannot be
/// encoded as UTF-8, and control characters have no business in keys, names or addresses: all of them
/// are refused at the door as a 400 rather than failing deep inside as a 500.
/// </summary>
public static class InputRules
{
    /// <summary>Why <paramref name="value"/> is refused, or null. Free text (JSON strings) may hold tab and line breaks; URLs may not.</summary>
    public static string? Violation(ReadOnlySpan<char> value, bool allowLineBreaks)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return "contains a NUL character";
            }

            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\n' or '\r'))
            {
                return $"contains the control character U+{(int)c:X4}";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "contains an unpaired UTF-16 surrogate";
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="value"/> with every character the rules refuse (line breaks and tabs kept) replaced by U+FFFD:
    /// for text that must be stored whatever it holds, such as a dead letter's message id and reason.
    /// </summary>
    public static string Scrub(string value)
    {
        if (Violation(value, allowLineBreaks: true) is null)
        {
            return value;
        }

        var scrubbed = value.ToCharArray();
        for (var i = 0; i < scrubbed.Length; i++)
        {
            if (char.IsHighSurrogate(scrubbed[i]) && i + 1 < scrubbed.Length && char.IsLowSurrogate(scrubbed[i + 1]))
            {
                i++;
            }
            else if (Violation(scrubbed.AsSpan(i, 1), allowLineBreaks: true) is not null)
            {
                scrubbed[i] = '\uFFFD';
            }
        }

        return new string(scrubbed);
    }
}
