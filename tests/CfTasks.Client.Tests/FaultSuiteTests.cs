using CfTasks.Client.Services;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.State;
using Xunit.Abstractions;

namespace CfTasks.Client.Tests;

/// <summary>
/// The resilience promises under sustained faults, with the figures written to the test output: listings survive
/// failing GETs without losing or doubling a task, ambiguous starts never double or lose a task, and a token that
/// expires mid-listing is renewed once.
/// </summary>
public sealed class FaultSuiteTests : IClassFixture<ClientFixture>
{
    private readonly ClientFixture _fixture;
    private readonly ITestOutputHelper _output;
    private IFakeControls State => _fixture.Fake.State;

    public FaultSuiteTests(ClientFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        fixture.Fake.State.Reset();
    }

    [Fact]
    public async Task Listing_10000_tasks_with_a_fifth_of_gets_failing_returns_every_task_exactly_once_in_20_runs()
    {
        using var session = await _fixture.ConnectAsync();
        var app = await session.Apps.GetByNameAsync("billing-worker", CancellationToken.None);
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 10_000, NamePrefix = "nightly" });
        var expected = State.TasksOf(app.Guid).Select(t => t.Guid).ToHashSet();
        State.ClearRequests();
        State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/(tasks|apps)", Status = 503, Rate = 0.2, Seed = 20261129 });

        for (var run = 1; run <= 20; run++)
        {
            // Alternate the two listing routes: the app's own (with command) and the space-wide one (names looked up).
            var seen = new List<string>(10_000);
            await foreach (var task in session.Tasks.List(new TaskListQuery { Apps = run % 2 == 0 ? [app] : null }))
                seen.Add(task.Guid);
            Assert.Equal(expected.Count, seen.Count);
            Assert.Equal(expected, seen.ToHashSet());
        }

        var requests = State.Requests().Where(r => r.Path.StartsWith("/v3/", StringComparison.Ordinal)).ToList();
        var failed = requests.Count(r => r.Status == 503);
        _output.WriteLine($"20 listings of 10,000 tasks: {requests.Count} GETs, {failed} answered 503 ({100.0 * failed / requests.Count:0.0}%), every task exactly once in every run");
        Assert.True(failed > 0, "the fault rule fired");
    }

    [Fact]
    public async Task A_thousand_starts_with_ambiguous_post_failures_create_exactly_a_thousand_tasks()
    {
        using var session = await _fixture.ConnectAsync();
        // About 3 in 10 POSTs fail here; with the default 5 attempts a start gives up (clearly, starting nothing) about
        // 3 times in 1,000. This suite is about reconciliation never doubling or losing a task, so allow more attempts.
        session.Tasks.Starter.MaxAttempts = 12;
        var app = await session.Apps.GetByNameAsync("billing-api", CancellationToken.None);
        const string create = "^/v3/apps/[^/]+/tasks$";
        State.AddFault(new FaultRule { Method = "POST", Path = create, Action = FaultActions.DropAfter, Rate = 0.1, Seed = 1 });
        State.AddFault(new FaultRule { Method = "POST", Path = create, Action = FaultActions.DropBefore, Rate = 0.1, Seed = 2 });
        State.AddFault(new FaultRule { Method = "POST", Path = create, Status = 503, Rate = 0.1, Seed = 3 });
        State.AddFault(new FaultRule { Method = "POST", Path = create, Status = 502, Rate = 0.05, Seed = 4 });

        using var gate = new SemaphoreSlim(16);
        var starts = Enumerable.Range(1, 1000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await session.Tasks.StartAsync(app, new TaskStartRequest { Name = $"migrate-{i}", Command = "sleep 600" }, CancellationToken.None);
            }
            finally
            {
                gate.Release();
            }
        });
        var started = await Task.WhenAll(starts);

        var created = State.TasksOf(app.Guid);
        var posts = _fixture.RequestsTo("POST", $"/v3/apps/{app.Guid}/tasks");
        var ambiguous = posts.Count(p => p.Status != 202);
        _output.WriteLine($"1,000 starts: {posts.Count} POSTs, {ambiguous} of them failed ambiguously, {created.Count} tasks created");
        Assert.Equal(1000, created.Count);
        Assert.Equal(1000, created.Select(t => t.Name).Distinct().Count());
        Assert.Equal(created.Select(t => t.Guid).ToHashSet(), started.Select(t => t.Guid).ToHashSet());
        Assert.True(ambiguous > 100, $"faults fired on {ambiguous} POSTs");
    }

    [Fact]
    public async Task A_token_expiring_mid_listing_is_renewed_once_and_the_listing_completes()
    {
        using var session = await _fixture.ConnectAsync();
        var app = await session.Apps.GetByNameAsync("billing-reports", CancellationToken.None);
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 12_000 });
        State.ClearRequests();

        var count = 0;
        await foreach (var _ in session.Tasks.List(new TaskListQuery { Apps = [app] }))
        {
            if (++count == 5000) State.ExpireTokens(); // the first page is in; a later page meets an expired token
        }

        Assert.Equal(12_000, count);
        Assert.Equal(1, _fixture.TokenRequests());
        Assert.Single(State.Requests(), r => r.Status == 401);
    }
}
