using LogisticsSync.Tests.Shared;

namespace LogisticsSync.ApiGateway.Tests;

public sealed class LogEventIdsTests() : ServiceLogEventIdsTestsBase(typeof(LogEventIds));
