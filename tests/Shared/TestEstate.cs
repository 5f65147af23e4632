using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;

namespace LogisticsSync.Tests.Shared;

/// <summary>The AppHost's model through the testing builder, with the partner credentials of <see cref="TestPartnerKeys"/>.</summary>
internal static class TestEstate
{
    public static Task<DistributedApplicationBuilder> CreateBuilderAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([.. args, .. TestPartnerKeys.Args]);
}
