namespace LogisticsSync.ApiGateway.Versioning;

public sealed class ApiVersionOptions
{
    public ApiVersionStatus Status { get; set; } = ApiVersionStatus.Supported;

    /// <summary>When it was deprecated (RFC 9745 <c>Deprecation</c>); defaults to "now" when deprecated without a date.</summary>
    public DateTimeOffset? DeprecatedAt { get; set; }

    /// <summary>When it will stop answering (RFC 8594 <c>Sunset</c>).</summary>
    public DateTimeOffset? Sunset { get; set; }

    /// <summary>The version to move to, linked as <c>successor-version</c>.</summary>
    public string? Successor { get; set; }
}
