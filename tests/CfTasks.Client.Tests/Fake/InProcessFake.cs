using FakeCloudFoundry;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.State;

namespace CfTasks.Client.Tests;

/// <summary>The fake in the test process (.NET): the controls are <see cref="FakeState"/>'s methods.</summary>
internal sealed class InProcessFake(FakeCloudFoundryServer server) : IFakeHost, IFakeControls
{
    public static async Task<IFakeHost> StartAsync() => new InProcessFake(await FakeCloudFoundryServer.StartAsync());

    public Uri BaseUrl => server.BaseUrl;
    public FakeCloudFoundryServer Server => server;
    public IFakeControls State => this;
    public ValueTask DisposeAsync() => server.DisposeAsync();

    private FakeState Fake => server.State;

    public void Reset() => Fake.Reset();
    public AppView CreateApp(AppSpec spec) => ViewOf(Fake.CreateApp(spec));
    public AppView? FindApp(string spaceName, string appName) => Fake.FindApp(spaceName, appName) is { } app ? ViewOf(app) : null;
    public DropletView AddDroplet(string appGuid, DropletSpec spec) => new(Fake.AddDroplet(appGuid, spec).Guid);
    public int BulkTasks(string appGuid, BulkTaskSpec spec) => Fake.BulkTasks(appGuid, spec);
    public BulkSpacesResult BulkSpaces(BulkSpacesSpec spec) => Fake.BulkSpaces(spec);
    public int BulkLogs(string sourceId, BulkLogSpec spec) => Fake.BulkLogs(sourceId, spec);
    public int AddLogs(string sourceId, IEnumerable<LogLineSpec> lines) => Fake.AddLogs(sourceId, lines);
    public void AddFault(FaultRule rule) => Fake.AddFault(rule);
    public IReadOnlyList<RecordedRequest> Requests() => Fake.Requests();
    public void ClearRequests() => Fake.ClearRequests();
    public void SetClockSpeed(double speed) => Fake.SetClockSpeed(speed);
    public void AdvanceClock(TimeSpan by) => Fake.AdvanceClock(by);
    public void ExpireTokens() => Fake.ExpireTokens();
    public void RevokeRefreshTokens() => Fake.RevokeRefreshTokens();
    public void SetAccessTokenLifetime(int seconds) => Fake.SetAccessTokenLifetime(seconds);
    public string IssueAccessToken(string user) => Fake.IssueAccessToken(user);
    public string IssuePasscode(string user) => Fake.IssuePasscode(user);
    public string MintAssertion(AssertionSpec spec) => Fake.MintAssertion(spec);
    public void SetAssertionRefreshTokens(bool issue) => Fake.SetAssertionRefreshTokens(issue);
    public long NowUnixNano => Fake.NowUnixNano;
    public TaskView? GetTask(string guid) => Fake.GetTaskView(guid);
    public IReadOnlyList<TaskView> TasksOf(string appGuid) => Fake.TaskViewsOf(appGuid);
    public IReadOnlyList<EnvelopeView> LogsOf(string sourceId) => Fake.LogViewsOf(sourceId);

    private static AppView ViewOf(FakeCloudFoundry.Model.CfApp app) => new(app.Guid, app.Name);
}
