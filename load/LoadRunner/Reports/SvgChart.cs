using System.Globalization;
using System.Net;
using System.Text;

namespace LogisticsSync.LoadRunner.Reports;

/// <summary>
/// Line charts as inline SVG: the report opens on a machine without network (no CDN, no script), and an SVG
/// keeps every point sharp when zoomed.
/// </summary>
internal static class SvgChart
{
    private const int Width = 820;
    private const int Height = 280;
    private const int Left = 64;
    private const int Right = 150;
    private const int Top = 28;
    private const int Bottom = 40;

    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    /// <param name="percentileAxis">
    /// X is a percentile drawn on the 1/(1 − p) scale of HdrHistogram's plots, so that 90, 99, 99.9 and 99.99 are
    /// equally far apart and the tail is as visible as the median.
    /// </param>
    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool percentileAxis = false,
        IReadOnlyList<Measurement.ChartBand>? bands = null)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Encode(title)}</text>");
        if (points.Count == 0)
        {
            return svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height / 2}\" font-size=\"12\">no data</text></svg>").ToString();
        }

        Func<double, double> toX = percentileAxis ? p => Math.Log10(1 / Math.Max(1e-6, 1 - (Math.Min(p, 99.9999) / 100))) : x => x;
        var (xMin, xMax) = percentileAxis ? (0, Math.Max(1, Math.Ceiling(points.Max(p => toX(p.X))))) : (points.Min(p => p.X), Math.Max(points.Max(p => p.X), points.Min(p => p.X) + 1));
        var yMax = NiceCeiling(points.Max(p => p.Y));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(double x) => Left + ((toX(x) - xMin) / (xMax - xMin) * plotWidth);
        double Y(double y) => Top + plotHeight - (y / yMax * plotHeight);

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#999\"/>");
        AppendBands(svg, bands ?? [], X, plotHeight);
        for (var i = 0; i <= 4; i++)
        {
            var value = yMax * i / 4;
            var y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" text-anchor=\"end\">{Number(value)}</text>");
        }

        foreach (var (position, label) in XTicks(xMin, xMax, percentileAxis))
        {
            var x = Left + ((position - xMin) / (xMax - xMin) * plotWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{Top}\" y2=\"{Top + plotHeight}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{Top + plotHeight + 15}\" font-size=\"11\" text-anchor=\"middle\">{label}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 6}\" font-size=\"11\" text-anchor=\"middle\">{Encode(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + (plotHeight / 2)}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + (plotHeight / 2)})\">{Encode(yLabel)}</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var color = Palette[i % Palette.Length];
            var path = string.Join(' ', series[i].Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.#},{Y(p.Y):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{path}\"><title>{Encode(series[i].Name)}</title></polyline>");
            var legendY = Top + 12 + (i * 16);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 12}\" y=\"{legendY - 8}\" width=\"12\" height=\"3\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 30}\" y=\"{legendY - 3}\" font-size=\"11\">{Encode(series[i].Name)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Fault windows as translucent stripes (at least 2 px wide, so a kill shows), labelled along the top.</summary>
    private static void AppendBands(StringBuilder svg, IReadOnlyList<Measurement.ChartBand> bands, Func<double, double> x, int plotHeight)
    {
        for (var i = 0; i < bands.Count; i++)
        {
            var (from, to) = (x(bands[i].From), x(bands[i].To));
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{from:0.#}\" y=\"{Top}\" width=\"{Math.Max(2, to - from):0.#}\" height=\"{plotHeight}\" fill=\"#e0a800\" fill-opacity=\"0.18\"><title>{Encode(bands[i].Label)}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{from + 2:0.#}\" y=\"{Top + 10 + (i % 6 * 10)}\" font-size=\"9\" fill=\"#7a5c00\">{Encode(bands[i].Label)}</text>");
        }
    }

    private static IEnumerable<(double Position, string Label)> XTicks(double min, double max, bool percentileAxis)
    {
        if (percentileAxis)
        {
            for (var nines = 0; nines <= (int)max; nines++)
            {
                yield return (nines, nines == 0 ? "0%" : (100 - (100 / Math.Pow(10, nines))).ToString("0.####", CultureInfo.InvariantCulture) + "%");
            }

            yield break;
        }

        var step = NiceCeiling((max - min) / 8);
        for (var x = Math.Ceiling(min / step) * step; x <= max + 1e-9; x += step)
        {
            yield return (x, Number(x));
        }
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/>.</summary>
    internal static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(f => f * magnitude).First(candidate => candidate >= value * (1 - 1e-9));
    }

    private static string Number(double value) => value.ToString(value < 100 && value != Math.Floor(value) ? "0.##" : "#,0", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
