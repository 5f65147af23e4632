namespace LogisticsSync.Hosting.Model;

/// <summary>A .NET project of this repository, started from its build output.</summary>
public sealed class ProjectResource : ProcessResource
{
    public ProjectResource(string name, string projectPath) : base(name)
    {
        ProjectPath = projectPath;
        AddEndpoint("http", "http");
    }

    /// <summary>Absolute path of the .csproj.</summary>
    public string ProjectPath { get; }

    /// <summary>Path probed for readiness, or null to count a running process as ready.</summary>
    public string? HealthCheckPath { get; set; }

    public override string TypeName => "project";
}
