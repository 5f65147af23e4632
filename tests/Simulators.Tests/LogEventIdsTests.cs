using LogisticsSync.Tests.Shared;

namespace LogisticsSync.Simulators.Tests;

public sealed class LogEventIdsTests() : ServiceLogEventIdsTestsBase(typeof(LogEventIds));
