namespace Projects;

/// <summary>
/// Names the AppHost for the testing builder, as Aspire's generated <c>Projects.AppHost</c> does:
/// <c>DistributedApplicationTestingBuilder.CreateAsync&lt;Projects.AppHost&gt;()</c>. A test project that
/// also references a service sees two top-level <c>Program</c> classes; this name is never ambiguous.
/// </summary>
public sealed class AppHost
{
    private AppHost()
    {
    }
}
