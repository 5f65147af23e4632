using LogisticsSync.Tests.Shared;

namespace LogisticsSync.ApiGateway.Tests;

public sealed class LogEventIdsTests() : LogEventIdsTestsBase(typeof(LogEventIds));
