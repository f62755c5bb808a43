using FakeCloudFoundry.Faults;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.State;

namespace CfTasks.Client.Tests;

/// <summary>
/// The fake's test controls these tests use, with the names <c>FakeState</c> has. On .NET the fake runs in the test
/// process and these call <c>FakeState</c>; in the Desktop suite (net472 under Mono) the fake is its own .NET process
/// and these are its <c>/_fake</c> HTTP controls. The same test source runs against both.
/// </summary>
public interface IFakeControls
{
    void Reset();
    AppView CreateApp(AppSpec spec);
    AppView? FindApp(string spaceName, string appName);
    DropletView AddDroplet(string appGuid, DropletSpec spec);
    int BulkTasks(string appGuid, BulkTaskSpec spec);
    BulkSpacesResult BulkSpaces(BulkSpacesSpec spec);
    int BulkLogs(string sourceId, BulkLogSpec spec);
    int AddLogs(string sourceId, IEnumerable<LogLineSpec> lines);
    void AddFault(FaultRule rule);
    IReadOnlyList<RecordedRequest> Requests();
    void ClearRequests();
    void SetClockSpeed(double speed);
    void AdvanceClock(TimeSpan by);
    void ExpireTokens();
    void RevokeRefreshTokens();
    void SetAccessTokenLifetime(int seconds);
    string IssueAccessToken(string user);
    string IssuePasscode(string user);
    string MintAssertion(AssertionSpec spec);
    void SetAssertionRefreshTokens(bool issue);
    long NowUnixNano { get; }
    TaskView? GetTask(string guid);
    IReadOnlyList<TaskView> TasksOf(string appGuid);
    IReadOnlyList<EnvelopeView> LogsOf(string sourceId);
}

/// <summary>A running fake: its base URL (no trailing slash in ToString) and its controls. Disposing stops it.</summary>
public interface IFakeHost : IAsyncDisposable
{
    Uri BaseUrl { get; }
    IFakeControls State { get; }
}

/// <summary>Starts a fake for one test class (or one test): in-process on .NET, as a process for the Desktop suite.</summary>
public static class FakeHost
{
#if NETFRAMEWORK
    public static Task<IFakeHost> StartAsync() => FakeProcess.StartAsync();
#else
    public static Task<IFakeHost> StartAsync() => InProcessFake.StartAsync();
#endif
}
