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
    [Fact]
    public void LoggerMessages_EveryEventId_IsUsedOnce()
    {
        Assert.Empty(LoggerMessageIds.Repeated(registry.Assembly));
    }

    [Fact]
    public void LoggerMessages_EveryEventId_ComesFromTheRegistry()
    {
        var registered = registry.GetFields().Select(field => (int)field.GetRawConstantValue()!).ToHashSet();

        Assert.All(LoggerMessageIds.Of(registry.Assembly), message => Assert.Contains(message.Id, registered));
    }
}
