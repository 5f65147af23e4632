using LogisticsSync.Tests.Shared;

namespace LogisticsSync.ServiceDefaults.Tests;

public sealed class LogEventIdsTests() : LogEventIdsTestsBase(typeof(LogEventIds));
