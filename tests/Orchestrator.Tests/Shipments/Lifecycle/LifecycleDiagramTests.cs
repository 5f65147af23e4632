using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Tests.Shipments.Lifecycle;

/// <summary>docs/lifecycle.md is generated from the transition table and must not drift from it.</summary>
public sealed class LifecycleDiagramTests
{
    private const string UpdateVariable = "UPDATE_LIFECYCLE_DOC";

    [Fact]
    public void LifecycleDiagram_IsUpToDate()
    {
        var path = Path.Combine(FindRepositoryRoot(), "docs", "lifecycle.md");
        var expected = Document();

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        // A checkout with CRLF line endings is still up to date.
        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        Assert.True(
            actual == expected,
            $"{path} is out of date with ShipmentLifecycle.Transitions. Regenerate it with " +
            $"`{UpdateVariable}=1 dotnet test tests/Orchestrator.Tests -c Release --filter LifecycleDiagram_IsUpToDate` and commit it.");
    }

    private static string Document() =>
        "# Shipment lifecycle\n" +
        "\n" +
        "Generated from `ShipmentLifecycle.Transitions` (`src/Orchestrator/Shipments/Lifecycle/ShipmentLifecycle.cs`),\n" +
        "the single source of truth for ARCHITECTURE.md §2. Do not edit by hand: regenerate with\n" +
        $"`{UpdateVariable}=1 dotnet test tests/Orchestrator.Tests -c Release --filter LifecycleDiagram_IsUpToDate`.\n" +
        "Edges read `milestone (owning system)`.\n" +
        "\n" +
        "```mermaid\n" +
        ShipmentLifecycle.ToMermaid() +
        "```\n" +
        "\n" +
        "## Reactions\n" +
        "\n" +
        "What an applied milestone causes besides the state change (`ShipmentLifecycle.Reactions`), written in the same\n" +
        "transaction as the change; the writes are `LifecycleReactions`' cases.\n" +
        "\n" +
        ShipmentLifecycle.ReactionCatalogue() +
        "\n" +
        "## Event catalogue\n" +
        "\n" +
        "Published by the orchestrator on `logistics.events` (routing key = type) for every applied milestone, and accepted\n" +
        "from partner systems on `logistics.milestones` (source `urn:logistics-sync:<system>`, subject = business key).\n" +
        "\n" +
        ShipmentLifecycle.EventCatalogue();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LogisticsSync.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"LogisticsSync.sln not found above {AppContext.BaseDirectory}.");
    }
}
