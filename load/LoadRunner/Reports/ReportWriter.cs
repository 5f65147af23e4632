using System.Globalization;
using System.Net;
using System.Text;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.LoadRunner.Reports;

/// <summary>The files of one report.</summary>
public sealed record ReportFiles(string Folder, string Html, string Markdown, string Text, string Csv, string TimelineCsv)
{
    public IEnumerable<string> All => [Html, Markdown, Text, Csv, TimelineCsv];
}

/// <summary>Writes a run's report as HTML (with charts), Markdown, plain text and CSV into one folder.</summary>
public static class ReportWriter
{
    public static async Task<ReportFiles> WriteAsync(LoadTestResult result, string folder, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var files = new ReportFiles(folder, Path.Combine(folder, "report.html"), Path.Combine(folder, "report.md"), Path.Combine(folder, "report.txt"),
            Path.Combine(folder, "report.csv"), Path.Combine(folder, "timeline.csv"));
        await File.WriteAllTextAsync(files.Html, Html(result), cancellationToken);
        await File.WriteAllTextAsync(files.Markdown, Markdown(result), cancellationToken);
        await File.WriteAllTextAsync(files.Text, Text(result), cancellationToken);
        await File.WriteAllTextAsync(files.Csv, SummaryCsv(result), cancellationToken);
        await File.WriteAllTextAsync(files.TimelineCsv, TimelineCsv(result), cancellationToken);
        return files;
    }

    public static string Markdown(LoadTestResult result)
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"# {result.Title}").AppendLine();
        AppendVerdict(result, "**{0}**", "- **warning:** {0}", text);
        if (result.Charts.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Charts ({string.Join(", ", result.Charts.Select(c => c.Title))}) are in report.html.").AppendLine();
        }
        foreach (var section in ReportTables.All(result))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {section.Title}").AppendLine();
            if (section.Note is not null)
            {
                text.AppendLine(section.Note).AppendLine();
            }

            if (section.Rows.Count == 0)
            {
                continue;
            }

            text.AppendLine("| " + string.Join(" | ", section.Header.Select(MarkdownCell)) + " |");
            text.AppendLine("|" + string.Concat(section.Header.Select(_ => "---|")));
            foreach (var row in section.Rows)
            {
                text.AppendLine("| " + string.Join(" | ", row.Select(MarkdownCell)) + " |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    public static string Text(LoadTestResult result)
    {
        var text = new StringBuilder().AppendLine(result.Title).AppendLine(new string('=', result.Title.Length)).AppendLine();
        AppendVerdict(result, "{0}", "WARNING: {0}", text);
        foreach (var section in ReportTables.All(result))
        {
            text.AppendLine(section.Title).AppendLine(new string('-', section.Title.Length));
            if (section.Note is not null)
            {
                text.AppendLine(section.Note);
            }

            var widths = section.Header.Select((h, i) => section.Rows.Select(r => i < r.Count ? r[i].Length : 0).Append(h.Length).Max()).ToList();
            if (section.Rows.Count > 0)
            {
                foreach (var row in section.Rows.Prepend(section.Header))
                {
                    text.AppendLine(string.Join("  ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
                }
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    public static string SummaryCsv(LoadTestResult result)
    {
        var percentiles = result.Percentiles.Select(ReportTables.PercentileName).ToList();
        var csv = new StringBuilder().AppendLine(string.Join(',',
        [
            "scenario", "step", "requests", "ok", "failed", "fail_rate", "requests_per_second", "latency_mean_ms", .. percentiles.Select(p => $"latency_{p}_ms"), "latency_max_ms",
            "service_mean_ms", .. percentiles.Select(p => $"service_{p}_ms"), "service_max_ms", "bytes_sent", "bytes_received",
        ]));
        foreach (var (scenario, step, summary) in ReportTables.Rows(result))
        {
            csv.AppendLine(string.Join(',',
            [
                CsvCell(scenario), CsvCell(step), Invariant(summary.Count), Invariant(summary.Ok), Invariant(summary.Fail), Invariant(summary.FailRate), Invariant(summary.RequestsPerSecond),
                Invariant(summary.Latency.MeanMs), .. summary.Latency.Percentiles.Select(p => Invariant(p.Milliseconds)), Invariant(summary.Latency.MaxMs),
                Invariant(summary.ServiceTime.MeanMs), .. summary.ServiceTime.Percentiles.Select(p => Invariant(p.Milliseconds)), Invariant(summary.ServiceTime.MaxMs),
                Invariant(summary.BytesSent), Invariant(summary.BytesReceived),
            ]));
        }

        return csv.ToString();
    }

    public static string TimelineCsv(LoadTestResult result)
    {
        var csv = new StringBuilder().AppendLine(string.Join(',',
            ["scenario", "second", "ok", "failed", "dropped", "bytes_sent", "bytes_received", .. result.Percentiles.Select(p => $"latency_{ReportTables.PercentileName(p)}_ms")]));
        foreach (var scenario in result.Scenarios)
        {
            foreach (var point in scenario.Timeline)
            {
                csv.AppendLine(string.Join(',',
                [
                    CsvCell(scenario.Name), Invariant(point.Second), Invariant(point.Ok), Invariant(point.Fail), Invariant(point.Dropped), Invariant(point.BytesSent),
                    Invariant(point.BytesReceived), .. point.Latency.Select(p => Invariant(p.Milliseconds)),
                ]));
            }
        }

        return csv.ToString();
    }

    public static string Html(LoadTestResult result)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{Encode(result.Title)}</title>
            <style>
            body {"{"} font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1200px; {"}"}
            table {"{"} border-collapse: collapse; margin: 8px 0 20px; font-size: 13px; {"}"}
            th, td {"{"} border: 1px solid #ccc; padding: 3px 8px; text-align: right; {"}"}
            th:first-child, td:first-child, td.text {"{"} text-align: left; {"}"}
            th {"{"} background: #f3f3f3; {"}"}
            .verdict {"{"} font-size: 18px; font-weight: bold; padding: 8px 12px; display: inline-block; {"}"}
            .passed {"{"} background: #e3f6e3; color: #17631b; {"}"} .failed {"{"} background: #fde4e4; color: #9b1c1c; {"}"}
            .warning {"{"} background: #fff4d6; border-left: 4px solid #e0a800; padding: 6px 10px; margin: 6px 0; {"}"}
            .note {"{"} color: #555; font-size: 13px; {"}"} svg {"{"} display: block; margin: 6px 0 18px; {"}"}
            td.bad {"{"} color: #9b1c1c; font-weight: bold; background: #fde4e4; {"}"}
            </style></head><body>
            <h1>{Encode(result.Title)}</h1>
            <div class="verdict {(result.Passed ? "passed" : "failed")}">{(result.Passed ? "PASSED" : "FAILED")}</div>

            """);
        foreach (var warning in result.Warnings)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"warning\">{Encode(warning)}</div>\n");
        }

        foreach (var chart in result.Charts)
        {
            html.Append(SvgChart.Line(chart.Title, "seconds", chart.YLabel, [.. chart.Series.Select(s => new SvgChart.Series(s.Name, s.Points))], bands: chart.Bands));
        }

        var sections = ReportTables.All(result);
        foreach (var section in sections)
        {
            AppendHtmlTable(html, section);
            if (section.Title.StartsWith("Service time", StringComparison.Ordinal))
            {
                AppendCharts(html, result);
            }
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static void AppendCharts(StringBuilder html, LoadTestResult result)
    {
        html.Append("<h2>Over time</h2><p class=\"note\">One point per second of the measured run, by completion time.</p>\n");
        foreach (var scenario in result.Scenarios)
        {
            var timeline = scenario.Timeline;
            html.Append(SvgChart.Line($"{scenario.Name}: requests per second", "seconds", "requests/s",
            [
                new("ok", [.. timeline.Select(p => ((double)p.Second, (double)p.Ok))]),
                new("failed", [.. timeline.Select(p => ((double)p.Second, (double)p.Fail))]),
            ]));
            html.Append(SvgChart.Line($"{scenario.Name}: latency percentiles (corrected)", "seconds", "ms",
                [.. result.Percentiles.Select((percentile, i) => new SvgChart.Series(ReportTables.PercentileName(percentile),
                    [.. timeline.Where(p => p.Ok + p.Fail > 0).Select(p => ((double)p.Second, p.Latency[i].Milliseconds))]))]));
            html.Append(SvgChart.Line($"{scenario.Name}: errors and dropped starts per second", "seconds", "per second",
            [
                new("failed", [.. timeline.Select(p => ((double)p.Second, (double)p.Fail))]),
                new("dropped", [.. timeline.Select(p => ((double)p.Second, (double)p.Dropped))]),
            ]));
            html.Append(SvgChart.Line($"{scenario.Name}: latency distribution", "percentile", "ms",
            [
                new("latency (corrected)", [.. scenario.LatencyDistribution.Select(p => (p.Percentile, p.Milliseconds))]),
                new("service time", [.. scenario.ServiceTimeDistribution.Select(p => (p.Percentile, p.Milliseconds))]),
            ], percentileAxis: true));
        }
    }

    private static void AppendHtmlTable(StringBuilder html, ReportSection section)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{Encode(section.Title)}</h2>\n");
        if (section.Note is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Encode(section.Note)}</p>\n");
        }

        if (section.Rows.Count == 0)
        {
            return;
        }

        html.Append("<table><thead><tr>").AppendJoin("", section.Header.Select(h => $"<th>{Encode(h)}</th>")).Append("</tr></thead><tbody>\n");
        foreach (var row in section.Rows)
        {
            html.Append("<tr>").AppendJoin("", row.Select(cell => $"<td class=\"{CellClass(cell)}\">{Encode(cell)}</td>")).Append("</tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    private static void AppendVerdict(LoadTestResult result, string verdictFormat, string warningFormat, StringBuilder text)
    {
        text.AppendFormat(CultureInfo.InvariantCulture, verdictFormat, result.Passed ? "PASSED" : "FAILED").AppendLine().AppendLine();
        foreach (var warning in result.Warnings)
        {
            text.AppendFormat(CultureInfo.InvariantCulture, warningFormat, warning).AppendLine();
        }

        if (result.Warnings.Count > 0)
        {
            text.AppendLine();
        }
    }

    /// <summary>Numbers align right; a breach or a failed cross-check stands out in red.</summary>
    private static string CellClass(string cell) =>
        cell.StartsWith("BREACHED", StringComparison.Ordinal) || cell is "NO" or "FAILED" ? "text bad"
        : cell.Length > 0 && (char.IsAsciiDigit(cell[0]) || cell == "—") ? "number"
        : "text";

    private static string MarkdownCell(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    private static string CsvCell(string cell) => cell.AsSpan().IndexOfAny(",\"\n") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;

    private static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
