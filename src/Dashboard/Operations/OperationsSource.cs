namespace LogisticsSync.Dashboard.Operations;

/// <summary>
/// Where the operations page reads the business state: the estate's gateway resource, an API key whose client has
/// the gateway's <c>operations</c> scope, and the API version. The key stays in the AppHost: the browser talks to
/// the dashboard's session-protected <c>/api/operations</c>, which calls the gateway with it.
/// </summary>
public sealed record OperationsSource(string GatewayResource, LogisticsSync.Hosting.Model.ParameterResource ApiKey, string ApiVersion = "v2");
