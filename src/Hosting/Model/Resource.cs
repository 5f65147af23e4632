namespace LogisticsSync.Hosting.Model;

/// <summary>A named part of the estate: a server, a database on a server, or a .NET project.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = ResourceNameRules.Validate(name);

    /// <summary>Resources that must be healthy before this one starts (<c>WaitFor</c>).</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>
    /// Resources whose connection details are injected into this one (<c>WithReference</c>). As in Aspire, a
    /// reference orders nothing by itself: only <see cref="WaitsFor"/> does, so services may reference each
    /// other in a cycle (orchestrator → erp → gateway → orchestrator).
    /// </summary>
    public List<Resource> References { get; } = [];

    /// <summary>Extra environment, evaluated when a replica starts (ports and secrets are known by then).</summary>
    public List<Action<EnvironmentContext>> EnvironmentCallbacks { get; } = [];

    /// <summary>A short type name for tables and the control API ("postgres", "project", …).</summary>
    public abstract string TypeName { get; }

    /// <summary>
    /// Everything this resource cannot run without: what it waits for or lives in, and the servers whose
    /// connection strings it is given. A reference to another project is not one: it only injects endpoints
    /// for service discovery, and a service copes with a peer that is down (its resilience pipeline parks
    /// the work), so it is what KeepOnly and stop ordering leave out. This graph is acyclic (checked at build).
    /// </summary>
    public virtual IEnumerable<Resource> Dependencies =>
        WaitsFor.Concat(References.Where(r => r is IResourceWithConnectionString)).Distinct();
}

/// <summary>A resource whose clients connect with a connection string, injected as <c>ConnectionStrings__{name}</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>Valid once the estate has allocated ports and secrets.</summary>
    string GetConnectionString();
}

/// <summary>What a replica's environment is being built from.</summary>
public sealed class EnvironmentContext(IDictionary<string, string> variables, int replica, Func<ParameterResource, string>? parameters = null)
{
    public IDictionary<string, string> Variables { get; } = variables;
    public int Replica { get; } = replica;

    /// <summary>The parameter's value in this estate: given, defaulted, or generated and kept in the state folder.</summary>
    public string ValueOf(ParameterResource parameter) =>
        (parameters ?? throw new InvalidOperationException("This environment is built without the estate's parameters."))(parameter);
}

internal static class ResourceNameRules
{
    public static string Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || !char.IsAsciiLetterLower(name[0]))
        {
            throw new ArgumentException(
                $"Resource name '{name}' is invalid: use lower-case letters, digits and '-', starting with a letter.", nameof(name));
        }

        return name;
    }
}
