using System.Text;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>A line of a child's output made safe to keep and to print on the AppHost's terminal.</summary>
internal static class ConsoleText
{
    /// <summary>
    /// Drops ANSI escape sequences (CSI <c>ESC [ … final</c>, OSC <c>ESC ] … BEL/ST</c>, and two-character
    /// escapes) and every other control character but tab; truncates past <paramref name="maxLength"/>.
    /// </summary>
    public static string Sanitize(string text, int maxLength)
    {
        if (!NeedsWork(text, maxLength))
        {
            return text;
        }

        var result = new StringBuilder(Math.Min(text.Length, maxLength + 40));
        var kept = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\u001b')
            {
                i = EndOfEscape(text, i);
                continue;
            }

            if ((char.IsControl(c) && c != '\t') || kept >= maxLength)
            {
                continue;
            }

            result.Append(c);
            kept++;
        }

        if (kept >= maxLength && text.Length > maxLength)
        {
            result.Append($"… [line truncated: {text.Length} characters]");
        }

        return result.ToString();
    }

    private static bool NeedsWork(string text, int maxLength) =>
        text.Length > maxLength || text.Any(c => char.IsControl(c) && c != '\t');

    /// <returns>The index of the escape sequence's last character.</returns>
    private static int EndOfEscape(string text, int start)
    {
        if (start + 1 >= text.Length)
        {
            return start;
        }

        switch (text[start + 1])
        {
            case '[':
                // CSI: parameters and intermediates, then one final byte in @..~.
                for (var i = start + 2; i < text.Length; i++)
                {
                    if (text[i] is >= '@' and <= '~')
                    {
                        return i;
                    }
                }

                return text.Length - 1;
            case ']':
                // OSC (window titles, hyperlinks): up to BEL or ESC \.
                for (var i = start + 2; i < text.Length; i++)
                {
                    if (text[i] == '\a')
                    {
                        return i;
                    }

                    if (text[i] == '\u001b' && i + 1 < text.Length && text[i + 1] == '\\')
                    {
                        return i + 1;
                    }
                }

                return text.Length - 1;
            default:
                return start + 1;
        }
    }
}
