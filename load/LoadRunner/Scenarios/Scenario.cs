namespace LogisticsSync.LoadRunner.Scenarios;

/// <summary>
/// A named piece of user behaviour driven by the runner: one iteration runs its steps in order and stops at the
/// first failed step (a client does not read a shipment it could not create).
/// </summary>
public sealed record Scenario(string Name, IReadOnlyList<Step> Steps)
{
    public Scenario(string name, Func<StepContext, Task<StepResult>> run) : this(name, [new Step(name, run)])
    {
    }

    /// <summary>Runs once before warm-up, e.g. to create the shipments a read scenario reads.</summary>
    public Func<CancellationToken, Task>? Init { get; init; }
}

/// <summary>One named request (or group of requests) measured on its own.</summary>
public sealed record Step(string Name, Func<StepContext, Task<StepResult>> Run);

/// <summary>What a step knows about the iteration that runs it.</summary>
public sealed class StepContext(string scenarioName, long iteration, int copy, CancellationToken cancellationToken)
{
    public string ScenarioName { get; } = scenarioName;

    /// <summary>0-based, unique within the scenario and the run (warm-up included): a seed for keys.</summary>
    public long Iteration { get; } = iteration;

    /// <summary>The concurrent copy running this iteration (closed model), or the slot used (open model).</summary>
    public int Copy { get; } = copy;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Data a step hands to the next one in the same iteration (e.g. the id of what it created).</summary>
    public IDictionary<string, object> Items { get; } = new Dictionary<string, object>();
}

/// <summary>A step's outcome: ok or not, the status (an HTTP code, or a word such as <c>timeout</c>), and the bytes moved.</summary>
public readonly record struct StepResult(bool IsSuccess, string StatusCode, long BytesSent = 0, long BytesReceived = 0, string? Message = null)
{
    public static StepResult Ok(string statusCode = "ok", long bytesSent = 0, long bytesReceived = 0) => new(true, statusCode, bytesSent, bytesReceived);

    public static StepResult Fail(string statusCode, string? message = null, long bytesSent = 0, long bytesReceived = 0) =>
        new(false, statusCode, bytesSent, bytesReceived, message);
}
