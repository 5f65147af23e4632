using System.Reflection;
using Microsoft.Extensions.Logging;

namespace LogisticsSync.Tests.Shared;

/// <summary>
/// The <c>[LoggerMessage]</c> event ids of a service's assembly (compiled into each test project that checks one): an id
/// used twice makes two kinds of event look like one in every log query by id.
/// </summary>
internal static class LoggerMessageIds
{
    public static IReadOnlyList<(int Id, string Method)> Of(Assembly assembly) =>
    [
        .. assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Attribute!.EventId, $"{m.Method.DeclaringType!.Name}.{m.Method.Name}")),
    ];

    /// <summary>Every id used more than once, with the methods that use it; empty when each is unique.</summary>
    public static IReadOnlyList<string> Repeated(Assembly assembly) =>
    [
        .. Of(assembly).GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}"),
    ];
}

/// <summary>The registry checks every service's test project runs: derive with the service's <c>LogEventIds</c> type.</summary>
public abstract class LogEventIdsTestsBase(Type registry)
{
    /// <summary>The service's <c>LogEventIds</c> type.</summary>
    protected Type Registry { get; } = registry;

    [Fact]
    public void LoggerMessages_EveryEventId_IsUsedOnce()
    {
        Assert.Empty(LoggerMessageIds.Repeated(Registry.Assembly));
    }

    [Fact]
    public void LoggerMessages_EveryEventId_ComesFromTheRegistry()
    {
        var registered = Registry.GetFields().Select(field => (int)field.GetRawConstantValue()!).ToHashSet();

        Assert.All(LoggerMessageIds.Of(Registry.Assembly), message => Assert.Contains(message.Id, registered));
    }
}

/// <summary>
/// A service's registry checks, and one more: the service defaults log inside every service's process, so none of the
/// service's ids may be one of theirs.
/// </summary>
public abstract class ServiceLogEventIdsTestsBase(Type registry) : LogEventIdsTestsBase(registry)
{
    [Fact]
    public void LoggerMessages_EventIds_DoNotCollideWithTheServiceDefaults()
    {
        var serviceDefaults = LoggerMessageIds.Of(typeof(LogisticsSync.ServiceDefaults.ResourceNames).Assembly).ToLookup(m => m.Id);

        Assert.All(LoggerMessageIds.Of(Registry.Assembly), message => Assert.False(serviceDefaults.Contains(message.Id),
            $"{message.Method} uses {message.Id}, which {string.Join(", ", serviceDefaults[message.Id].Select(m => m.Method))} of the service defaults uses"));
    }
}
