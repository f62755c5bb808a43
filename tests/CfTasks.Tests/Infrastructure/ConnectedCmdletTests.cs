using FakeCloudFoundry.State;

namespace CfTasks.Tests.Infrastructure;

/// <summary>
/// The start of a cmdlet test class: the class's fake reset to the standard seed before each test, a PowerShell session
/// signed in as the seed's developer in demo-org/demo-space, and the fake's request journal cleared.
/// </summary>
public abstract class ConnectedCmdletTests : IClassFixture<FakeFixture>, IDisposable
{
    protected ConnectedCmdletTests(FakeFixture fixture)
    {
        Fixture = fixture;
        fixture.Fake.State.Reset();
        Ps.Connect(fixture.Api);
        fixture.Fake.State.ClearRequests();
    }

    /// <summary>The class's fake.</summary>
    protected FakeFixture Fixture { get; }

    /// <summary>The signed-in session.</summary>
    protected PowerShellSession Ps { get; } = new();

    /// <summary>The fake's state.</summary>
    protected FakeState State => Fixture.Fake.State;

    /// <summary>An app's guid by space and name.</summary>
    protected string AppGuid(string name, string space = "demo-space") => State.FindApp(space, name)!.Guid;

    /// <summary>The requests of a method to an exact path since the journal was last cleared.</summary>
    protected List<RecordedRequest> Requests(string method, string path) =>
        State.Requests().Where(r => r.Method == method && r.Path == path).ToList();

    /// <summary>Fails with the first error when a script wrote one.</summary>
    protected static void AssertNoErrors(ScriptResult result) =>
        Assert.True(result.FirstError is null, $"unexpected error: {result.FirstError}");

    /// <inheritdoc />
    public void Dispose()
    {
        Ps.Dispose();
        GC.SuppressFinalize(this);
    }
}
