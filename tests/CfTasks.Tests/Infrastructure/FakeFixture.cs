using FakeCloudFoundry;

namespace CfTasks.Tests.Infrastructure;

/// <summary>One in-process fake Cloud Foundry per test class (tests in a class run one after another).</summary>
public sealed class FakeFixture : IAsyncLifetime
{
    /// <summary>The running fake.</summary>
    public FakeCloudFoundryServer Fake { get; private set; } = null!;

    /// <summary>The fake's API URL.</summary>
    public string Api => Fake.BaseUrl.ToString().TrimEnd('/');

    /// <inheritdoc />
    public async Task InitializeAsync() => Fake = await FakeCloudFoundryServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Fake.DisposeAsync();
}
