using LogisticsSync.Tests.Shared;

namespace LogisticsSync.Orchestrator.Tests;

public sealed class LogEventIdsTests() : ServiceLogEventIdsTestsBase(typeof(LogEventIds));
