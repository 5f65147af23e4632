using LogisticsSync.Hosting.Control;

namespace LogisticsSync.Hosting.Tests.Control;

public sealed class SecretMaskingTests
{
    [Theory]
    [InlineData("ConnectionStrings__logistics", "Host=127.0.0.1;Port=5;Username=postgres;Password=s3cret;Database=logistics",
        "Host=127.0.0.1;Port=5;Username=postgres;Password=••••••;Database=logistics")]
    [InlineData("ConnectionStrings__redis", "127.0.0.1:6379,password=s3cret", "127.0.0.1:6379,password=••••••")]
    [InlineData("ConnectionStrings__rabbitmq", "amqp://logistics:s3cret@127.0.0.1:5672", "amqp://logistics:••••••@127.0.0.1:5672")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "x-otlp-api-key=s3cret", "••••••")]
    [InlineData("REDIS_PASSWORD", "s3cret", "••••••")]
    [InlineData("Gateway__ApiKey", "s3cret", "••••••")]
    [InlineData("Estate__ServiceKey", "s3cret", "••••••")]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    [InlineData("services__orchestrator__http__0", "http://127.0.0.1:41000", "http://127.0.0.1:41000")]
    public void Value_SecretsMaskedRestKept(string key, string value, string expected) => Assert.Equal(expected, SecretMasking.Value(key, value));
}
