namespace LogisticsSync.ServiceDefaults;

/// <summary>
/// The names of the estate's resources: the AppHost model declares them, services resolve their
/// connection strings and service-discovery names by them, and tests address resources by them.
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Database = "logistics";
    public const string Redis = "redis";
    public const string RabbitMQ = "rabbitmq";
    public const string Orchestrator = "orchestrator";
    public const string Gateway = "gateway";
    public const string Erp = "erp";
    public const string Wms = "wms";
    public const string Tms = "tms";
    public const string CarrierPrefix = "carrier-";
    public const string CarrierParcelFast = CarrierPrefix + Protocol.CarrierId.ParcelFastValue;
    public const string CarrierFreightLine = CarrierPrefix + Protocol.CarrierId.FreightLineValue;
}
