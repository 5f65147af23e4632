using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Hosting.Tests;

public sealed class DistributedApplicationBuilderTests
{
    [Fact]
    public async Task Model_FromAppHostProgram_HasTheEstateOfTheDesign()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();

        string[] expected =
        [
            ResourceNames.Postgres, ResourceNames.Database, ResourceNames.Redis, ResourceNames.RabbitMQ, ResourceNames.Orchestrator,
            ResourceNames.Gateway, ResourceNames.Erp, ResourceNames.Wms, ResourceNames.Tms, ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine,
        ];
        Assert.Equal(expected.Order(), builder.Resources.Select(r => r.Name).Order());
        var orchestrator = builder.GetResource<ProjectResource>(ResourceNames.Orchestrator);
        Assert.Equal(2, orchestrator.Replicas);
        Assert.Equal("/health", orchestrator.HealthCheckPath);
        Assert.Equal([ResourceNames.Database, ResourceNames.Redis, ResourceNames.RabbitMQ], orchestrator.WaitsFor.Select(r => r.Name));
        Assert.Contains(orchestrator.References, r => r.Name == ResourceNames.Erp);
        Assert.Contains(orchestrator.References, r => r.Name == ResourceNames.Tms);
        // The TMS books with the carriers by service discovery; it is called, it never calls the gateway.
        var tms = builder.GetResource<ProjectResource>(ResourceNames.Tms);
        Assert.Equal(
            new[] { ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine }.Order(),
            tms.References.Select(r => r.Name).Order());
    }

    [Fact]
    public async Task Model_ParameterOnTheCommandLine_ChangesReplicas()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", "3");

        Assert.Equal(3, builder.GetResource<ProjectResource>(ResourceNames.Orchestrator).Replicas);
    }

    [Fact]
    public async Task KeepOnly_Project_KeepsItsDependenciesAndDropsTheRest()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();

        builder.KeepOnly(ResourceNames.Orchestrator);

        Assert.Equal(
            new[] { ResourceNames.Postgres, ResourceNames.Database, ResourceNames.Redis, ResourceNames.RabbitMQ, ResourceNames.Orchestrator }.Order(),
            builder.Resources.Select(r => r.Name).Order());
    }

    [Fact]
    public async Task KeepOnly_UnknownResource_ThrowsUsageErrorListingTheModel()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();

        var error = Assert.Throws<EstateUsageException>(() => builder.KeepOnly("nope"));

        Assert.Contains(ResourceNames.Orchestrator, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DependencyCycle_Throws()
    {
        var builder = new DistributedApplicationBuilder(new EstateOptions());
        var a = builder.AddRedis("a");
        var b = builder.AddRedis("b");
        a.WaitFor(b);
        b.WaitFor(a);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ReferenceCycleBetweenProjects_IsNotADependencyCycle()
    {
        var builder = new DistributedApplicationBuilder(new EstateOptions());
        var redis = builder.AddRedis("redis");
        var a = builder.AddProject("a", "../Orchestrator/Orchestrator.csproj");
        var b = builder.AddProject("b", "../Orchestrator/Orchestrator.csproj");
        a.WithReference(b).WithReference(redis).WaitFor(redis);
        b.WithReference(a);

        builder.Build();

        Assert.Equal([redis.Resource], a.Resource.Dependencies);
        Assert.Empty(b.Resource.Dependencies);
    }

    [Fact]
    public void KeepOnly_ReferenceCycle_KeepsWaitsAndServersAndDropsReferencesToServicesLeftOut()
    {
        var builder = new DistributedApplicationBuilder(new EstateOptions());
        var redis = builder.AddRedis("redis");
        var a = builder.AddProject("a", "../Orchestrator/Orchestrator.csproj");
        var b = builder.AddProject("b", "../Orchestrator/Orchestrator.csproj");
        a.WithReference(b).WithReference(redis);
        b.WithReference(a);

        builder.KeepOnly("a");

        Assert.Equal(["redis", "a"], builder.Resources.Select(r => r.Name));
        Assert.Equal([redis.Resource], a.Resource.References);
    }

    [Fact]
    public async Task KeepOnly_EstateWithItsReferenceCycle_BothNamedKeepTheirMutualReferences()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();

        builder.KeepOnly(ResourceNames.Gateway, ResourceNames.Orchestrator, ResourceNames.Erp);
        builder.Build();

        Assert.Equal(
            new[] { ResourceNames.Postgres, ResourceNames.Database, ResourceNames.Redis, ResourceNames.RabbitMQ, ResourceNames.Orchestrator, ResourceNames.Gateway, ResourceNames.Erp, ResourceNames.Wms }.Order(),
            builder.Resources.Select(r => r.Name).Order());
        var orchestrator = builder.GetResource<ProjectResource>(ResourceNames.Orchestrator);
        Assert.Contains(orchestrator.References, r => r.Name == ResourceNames.Erp);
        Assert.DoesNotContain(orchestrator.References, r => r.Name == ResourceNames.Tms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("9lives")]
    [InlineData("under_score")]
    public void AddResource_InvalidName_Throws(string name)
    {
        var builder = new DistributedApplicationBuilder(new EstateOptions());

        Assert.Throws<ArgumentException>(() => builder.AddRedis(name));
    }
}
