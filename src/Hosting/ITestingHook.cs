namespace LogisticsSync.Hosting;

/// <summary>How the testing builder takes part in <see cref="DistributedApplication.CreateBuilder"/>.</summary>
internal interface ITestingHook
{
    EstateOptions CreateOptions(string[] args);

    void OnBuilt(DistributedApplicationBuilder builder);
}
