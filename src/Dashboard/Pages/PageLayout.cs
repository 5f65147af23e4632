using System.Net;
using System.Text;

namespace LogisticsSync.Dashboard.Pages;

/// <summary>The frame every page shares: navigation, the telemetry status line, one stylesheet and the shared script.</summary>
internal static class PageLayout
{
    private static readonly (string Page, string Href, string Title)[] Navigation =
    [
        ("resources", "/resources", "Resources"),
        ("operations", "/operations", "Operations"),
        ("console", "/console", "Console logs"),
        ("logs", "/logs", "Structured logs"),
        ("traces", "/traces", "Traces"),
        ("metrics", "/metrics", "Metrics"),
    ];

    /// <param name="script">A page's own script after the shared one (whose helpers it uses), e.g. operations.js.</param>
    public static string Render(string title, string page, string body, bool showNavigation = true, string? script = null)
    {
        var navigation = new StringBuilder();
        if (showNavigation)
        {
            navigation.Append("<nav>");
            foreach (var (navPage, href, navTitle) in Navigation)
            {
                var current = page == navPage || (page == "trace" && navPage == "traces") ? " aria-current=\"page\"" : "";
                navigation.Append($"<a href=\"{href}\"{current}>{navTitle}</a>");
            }

            navigation.Append("</nav><span id=\"telemetry-status\" class=\"status\"></span>");
            navigation.Append("<form method=\"post\" action=\"/logout\" class=\"logout\"><button type=\"submit\">Log out</button></form>");
        }

        return $"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{Encode(title)} · LogisticsSync estate</title>
              <link rel="stylesheet" href="/assets/dashboard.css">
              <script src="/assets/dashboard.js" defer></script>{(script is null ? "" : $"\n  <script src=\"/assets/{script}\" defer></script>")}
            </head>
            <body data-page="{page}">
              <header><a class="brand" href="/resources">LogisticsSync estate</a>{navigation}</header>
              <main>
            {body}
              </main>
            </body>
            </html>
            """;
    }

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A select whose options are rendered on the server, the current value selected.</summary>
    public static string Select(string name, string label, IEnumerable<(string Value, string Text)> options, string? selected)
    {
        var html = new StringBuilder($"<label>{Encode(label)} <select name=\"{name}\" id=\"filter-{name}\">");
        foreach (var (value, text) in options)
        {
            var isSelected = value == (selected ?? "") ? " selected" : "";
            html.Append($"<option value=\"{Encode(value)}\"{isSelected}>{Encode(text)}</option>");
        }

        return html.Append("</select></label>").ToString();
    }

    public static string TextInput(string name, string label, string? value, string placeholder) =>
        $"<label>{Encode(label)} <input type=\"search\" name=\"{name}\" id=\"filter-{name}\" value=\"{Encode(value)}\" placeholder=\"{Encode(placeholder)}\"></label>";
}
