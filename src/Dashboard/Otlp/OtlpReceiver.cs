using System.IO.Compression;
using Google.Protobuf;
using LogisticsSync.Dashboard.Otlp.Proto.Collector;
using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LogisticsSync.Dashboard.Otlp;

/// <summary>
/// OTLP/HTTP with protobuf bodies (plain or gzip), as the OpenTelemetry .NET exporter sends them:
/// authenticated by the per-run <c>x-otlp-api-key</c>, decoded and filed in the <see cref="TelemetryStore"/>.
/// </summary>
internal static class OtlpReceiver
{
    public const string ApiKeyHeader = "x-otlp-api-key";
    private const string ProtobufMediaType = "application/x-protobuf";

    /// <summary>A decoded body can be ~10× its gzip size: refuse bombs before they reach memory.</summary>
    private const int MaxDecodedBodyBytes = 64 * 1024 * 1024;

    private static readonly Dictionary<string, Func<ReadOnlyMemory<byte>, TelemetryBatch>> Decoders = new()
    {
        ["traces"] = body => OtlpDecoder.DecodeTraces(ExportTraceServiceRequest.Parser.ParseFrom(body.Span)),
        ["logs"] = body => OtlpDecoder.DecodeLogs(ExportLogsServiceRequest.Parser.ParseFrom(body.Span)),
        ["metrics"] = body => OtlpDecoder.DecodeMetrics(ExportMetricsServiceRequest.Parser.ParseFrom(body.Span)),
    };

    public static IEndpointRouteBuilder MapOtlpReceiver(this IEndpointRouteBuilder endpoints, TelemetryStore store, TelemetryIntake intake, string apiKey)
    {
        foreach (var (signal, decode) in Decoders)
        {
            endpoints.MapPost($"/v1/{signal}", (HttpRequest request) => ReceiveAsync(request, signal, decode, store, intake, apiKey));
        }

        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, string signal, Func<ReadOnlyMemory<byte>, TelemetryBatch> decode,
        TelemetryStore store, TelemetryIntake intake, string apiKey)
    {
        if (!Secrets.FixedTimeEquals(request.Headers[ApiKeyHeader].ToString(), apiKey))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: $"Missing or wrong {ApiKeyHeader}",
                detail: "Services get the key in OTEL_EXPORTER_OTLP_HEADERS from the AppHost that started them.");
        }

        if (request.ContentType is { } contentType && !contentType.StartsWith(ProtobufMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Only OTLP/HTTP protobuf is accepted",
                detail: $"Send Content-Type: {ProtobufMediaType} (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf), not {contentType}.");
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding is not ("" or "identity" or "gzip"))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Content-Encoding",
                detail: $"'{encoding}' is not supported; send the body plain or gzip-compressed.");
        }

        using var body = new MemoryStream();
        try
        {
            await using (var source = encoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body)
            {
                await CopyBoundedAsync(source, body, request.HttpContext.RequestAborted);
            }

            var batch = decode(body.GetBuffer().AsMemory(0, (int)body.Length));
            store.Add(batch);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException or BodyTooLargeException)
        {
            return Results.Problem(statusCode: e is BodyTooLargeException ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                title: $"The {signal} batch could not be decoded", detail: e.Message);
        }

        intake.Record(signal, request.ContentLength ?? body.Length);
        // An empty ExportServiceResponse: full success, which is what the exporter expects.
        return Results.Bytes([], ProtobufMediaType);
    }

    private static async Task CopyBoundedAsync(Stream source, MemoryStream destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[81_920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (destination.Length + read > MaxDecodedBodyBytes)
            {
                throw new BodyTooLargeException($"The decoded body is larger than {MaxDecodedBodyBytes / 1024 / 1024} MiB.");
            }

            destination.Write(buffer, 0, read);
        }
    }

    private sealed class BodyTooLargeException(string message) : Exception(message);
}
