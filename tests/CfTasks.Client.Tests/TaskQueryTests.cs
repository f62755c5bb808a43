using System.Web;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using FakeCloudFoundry.State;
using CfApp = CfTasks.CfApp;

namespace CfTasks.Client.Tests;

/// <summary>
/// Finding tasks again: by label selector and creation time on the server, in another space, an organization or every
/// space, each with its app's, space's and organization's names; and what a task's end says (exit code, duration).
/// </summary>
public sealed class TaskQueryTests : IClassFixture<ClientFixture>
{
    private readonly ClientFixture _fixture;
    private IFakeControls State => _fixture.Fake.State;

    public TaskQueryTests(ClientFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    private static Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items) => AsyncLists.ToListAsync(items);

    private async Task<(CfSession Session, CfApp App)> ConnectWithAppAsync(string app = "training-app")
    {
        var session = await _fixture.ConnectAsync();
        return (session, await session.Apps.GetByNameAsync(app, CancellationToken.None));
    }

    private List<string> TaskListQueries(string path = "/v3/tasks") =>
        _fixture.RequestsTo("GET", path).Select(r => HttpUtility.UrlDecode(r.Query)).ToList();

    // ------------------------------------------------------------------ label selector

    [Fact]
    public async Task A_label_selector_is_applied_by_the_server_and_combines_with_the_other_filters()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 3, NamePrefix = "nightly", State = "FAILED", Labels = new() { ["build"] = "4711", ["env"] = "prod" } });
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 2, NamePrefix = "nightly", State = "SUCCEEDED", Labels = new() { ["build"] = "4711" } });
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 4, NamePrefix = "other", State = "FAILED", Labels = new() { ["build"] = "4712", ["temp"] = "" } });
        State.ClearRequests();

        var ofBuild = await ToListAsync(session.Tasks.List(new TaskListQuery { LabelSelector = "build=4711" }));
        var failedProd = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app], LabelSelector = "env in (prod,stage),!temp", States = [CfTaskState.Failed] }));
        var notTemp = session.Tasks.List(new TaskListQuery { LabelSelector = "!temp", First = 2 });
        var firstTwo = await ToListAsync(notTemp);

        Assert.Equal(5, ofBuild.Count);
        Assert.All(ofBuild, t => Assert.Equal("4711", t.Labels["build"]));
        Assert.Equal(3, failedProd.Count);
        Assert.Equal(2, firstTwo.Count);
        Assert.Equal(5, notTemp.Total);
        Assert.Contains(TaskListQueries(), q => q.Contains("label_selector=build=4711", StringComparison.Ordinal));
        Assert.Contains(TaskListQueries($"/v3/apps/{app.Guid}/tasks"), q =>
            q.Contains("label_selector=env in (prod,stage),!temp", StringComparison.Ordinal) && q.Contains("states=FAILED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_selector_the_server_rejects_is_one_clear_error_with_its_words_even_across_apps()
    {
        var (session, app) = await ConnectWithAppAsync();
        var other = await session.Apps.GetByNameAsync("billing-api", CancellationToken.None);

        var space = await Assert.ThrowsAsync<CfException>(() => ToListAsync(session.Tasks.List(new TaskListQuery { LabelSelector = "env = prod" })));
        var apps = await Assert.ThrowsAsync<CfException>(() => ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app, other], LabelSelector = "env in (dev, qa)" })));

        Assert.Equal((CfFailure.InvalidLabelSelector, CfErrorKind.InvalidArgument, 400), (space.Failure, space.Kind, space.StatusCode));
        Assert.Contains("Invalid label_selector value", space.Message, StringComparison.Ordinal);
        Assert.Equal("env = prod", space.Target);
        Assert.Equal(CfFailure.InvalidLabelSelector, apps.Failure);
        Assert.Contains("' qa' contains invalid characters", apps.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ creation time

    [Fact]
    public async Task Creation_bounds_go_to_the_server_as_whole_utc_seconds_rounded_outwards_and_lose_no_task()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 10, NamePrefix = "t" }); // created one second apart
        var all = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app] })); // newest first: t-10 .. t-1
        var third = all.Single(t => t.Name == "t-3").CreatedAt;
        var eighth = all.Single(t => t.Name == "t-8").CreatedAt;
        var tokyo = TimeSpan.FromHours(9);
        State.ClearRequests();

        // Half a second into t-3's second, given in Tokyo time; half a second into t-8's second.
        var between = await ToListAsync(session.Tasks.List(new TaskListQuery
        {
            Apps = [app], CreatedAfter = third.AddMilliseconds(500).ToOffset(tokyo), CreatedBefore = eighth.AddMilliseconds(500),
        }));
        // On whole seconds the bounds are exclusive, as -gt and -lt are.
        var exact = await ToListAsync(session.Tasks.List(new TaskListQuery { CreatedAfter = third, CreatedBefore = eighth }));

        Assert.Equal(["t-8", "t-7", "t-6", "t-5", "t-4"], between.Select(t => t.Name));
        Assert.Equal(["t-7", "t-6", "t-5", "t-4"], exact.Select(t => t.Name));
        var wire = TaskListQueries($"/v3/apps/{app.Guid}/tasks").Single();
        Assert.Contains($"created_ats[gt]={third.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}Z", wire, StringComparison.Ordinal);
        Assert.Contains($"created_ats[lt]={eighth.AddSeconds(1).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}Z", wire, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creation_bounds_combine_with_states_names_and_paging_and_keep_the_total_exact()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 30, NamePrefix = "ok" });
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 30, NamePrefix = "bad", State = "FAILED" });
        var newest = (await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app], First = 1 }))).Single();
        State.ClearRequests();

        var listing = session.Tasks.List(new TaskListQuery
        {
            CreatedAfter = newest.CreatedAt.AddSeconds(-20), States = [CfTaskState.Failed], Skip = 10, First = 10,
        });
        var page = await ToListAsync(listing);

        Assert.Equal(Enumerable.Range(11, 10).Reverse().Select(i => $"bad-{i}"), page.Select(t => t.Name));
        Assert.Equal(20, listing.Total);
        Assert.True(listing.IsTotalExact);
        var query = Assert.Single(TaskListQueries());
        Assert.Contains("page=2", query, StringComparison.Ordinal); // the skip went to the server
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_is_refused_before_any_request()
    {
        var session = await _fixture.ConnectAsync();
        State.ClearRequests();
        var now = DateTimeOffset.UtcNow;

        var error = Assert.Throws<CfException>(() => session.Tasks.List(new TaskListQuery { CreatedAfter = now, CreatedBefore = now.AddDays(-1) }));

        Assert.Equal((CfFailure.InvalidTimeRange, CfErrorKind.InvalidArgument), (error.Failure, error.Kind));
        Assert.DoesNotContain(State.Requests(), r => r.Path.StartsWith("/v3/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tasks_by_guid_are_held_to_the_creation_bounds_and_with_a_selector_are_found_in_any_space()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 3, NamePrefix = "g", Labels = new() { ["keep"] = "yes" } });
        var other = State.FindApp("other-space", "training-app")!;
        State.BulkTasks(other.Guid, new BulkTaskSpec { Count = 1, NamePrefix = "far", Labels = new() { ["keep"] = "yes" } });
        var tasks = State.TasksOf(app.Guid).Concat(State.TasksOf(other.Guid)).ToList();
        var newest = await session.Tasks.GetAsync(tasks[2].Guid, CancellationToken.None);

        var recent = await ToListAsync(session.Tasks.List(new TaskListQuery { Guids = [.. tasks.Select(t => t.Guid)], CreatedAfter = newest.CreatedAt.AddSeconds(-1) }));
        var kept = await ToListAsync(session.Tasks.List(new TaskListQuery { Guids = [tasks[0].Guid, tasks[3].Guid], LabelSelector = "keep=yes" }));

        Assert.Equal(["g-3"], recent.Select(t => t.Name).Where(n => n.StartsWith('g')));
        Assert.Equal(["far-1", "g-1"], kept.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Contains(kept, t => t.SpaceName == "other-space");
    }

    // ------------------------------------------------------------------ scopes

    [Fact]
    public async Task Another_space_an_organization_or_every_space_is_listed_without_retargeting_with_space_and_org_names()
    {
        var session = await _fixture.ConnectAsync();
        State.BulkTasks(State.FindApp("demo-space", "billing-api")!.Guid, new BulkTaskSpec { Count = 2, NamePrefix = "here" });
        State.BulkTasks(State.FindApp("other-space", "training-app")!.Guid, new BulkTaskSpec { Count = 3, NamePrefix = "there" });
        var far = State.CreateApp(new AppSpec { Space = "second-space", Name = "far-app" });
        State.BulkTasks(far.Guid, new BulkTaskSpec { Count = 4, NamePrefix = "far" });
        var admin = await _fixture.ConnectAsync("admin", "admin-password");

        var otherSpace = await ToListAsync(session.Tasks.List(new TaskListQuery { Scope = TaskScope.Space("other-space") }));
        var secondSpace = await ToListAsync(admin.Tasks.List(new TaskListQuery { Scope = TaskScope.Space("second-space", "second-org") }));
        var demoOrg = await ToListAsync(session.Tasks.List(new TaskListQuery { Scope = TaskScope.Organization("demo-org") }));
        var everything = await ToListAsync(admin.Tasks.List(new TaskListQuery { Scope = TaskScope.AllSpaces }));
        var visible = await ToListAsync(session.Tasks.List(new TaskListQuery { Scope = TaskScope.AllSpaces }));

        Assert.Equal(Enumerable.Repeat<(string?, string?, string?)>(("training-app", "other-space", "demo-org"), 3), otherSpace.Select(t => (t.AppName, t.SpaceName, t.OrganizationName)));
        Assert.Equal(Enumerable.Repeat<(string?, string?, string?)>(("far-app", "second-space", "second-org"), 4), secondSpace.Select(t => (t.AppName, t.SpaceName, t.OrganizationName)));
        Assert.Equal(5, demoOrg.Count);
        Assert.Equal(["demo-space", "other-space"], demoOrg.Select(t => t.SpaceName!).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(9, everything.Count);
        Assert.Equal(5, visible.Count); // the developer has no role in second-space
        Assert.Equal("demo-space", session.Target.Space); // nothing was re-targeted
        Assert.Contains(TaskListQueries(), q => q.Contains("organization_guids=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_space_or_organization_that_does_not_exist_is_an_error_naming_it()
    {
        var session = await _fixture.ConnectAsync();

        var space = await Assert.ThrowsAsync<CfException>(() => ToListAsync(session.Tasks.List(new TaskListQuery { Scope = TaskScope.Space("no-such-space") })));
        var spaceInOrg = await Assert.ThrowsAsync<CfException>(() => ToListAsync(session.Tasks.List(new TaskListQuery { Scope = TaskScope.Space("second-space", "demo-org") })));
        var org = await Assert.ThrowsAsync<CfException>(() => ToListAsync(session.Tasks.List(new TaskListQuery { Scope = TaskScope.Organization("no-such-org") })));

        Assert.Equal((CfFailure.SpaceNotFound, CfErrorKind.NotFound, "no-such-space"), (space.Failure, space.Kind, space.Target));
        Assert.Contains("'demo-org'", space.Message, StringComparison.Ordinal);
        Assert.Equal((CfFailure.SpaceNotFound, "second-space"), (spaceInOrg.Failure, spaceInOrg.Target)); // it is in second-org
        Assert.Contains("'demo-org'", spaceInOrg.Message, StringComparison.Ordinal);
        Assert.Equal((CfFailure.OrganizationNotFound, "no-such-org"), (org.Failure, org.Target));
    }

    /// <summary>
    /// The performance contract of the widest listing: 100,000 tasks in 50 spaces (2 apps each) stream page by page, and
    /// the names of their 100 apps, 50 spaces and one organization cost two look-ups in all.
    /// </summary>
    [Fact]
    public async Task All_spaces_streams_100000_tasks_once_each_with_names_from_two_batched_lookups()
    {
        var seeded = State.BulkSpaces(new BulkSpacesSpec { Organization = "big-org", Spaces = 50, AppsPerSpace = 2, TasksPerApp = 1000 });
        var admin = await _fixture.ConnectAsync("admin", "admin-password");
        State.ClearRequests();

        var listing = admin.Tasks.List(new TaskListQuery { Scope = TaskScope.AllSpaces });
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var spaces = new HashSet<string>(StringComparer.Ordinal);
        var previous = DateTimeOffset.MaxValue;
        long count = 0;
        await foreach (var task in listing)
        {
            Assert.True(seen.Add(task.Guid));
            Assert.True(task.CreatedAt <= previous, "newest first");
            previous = task.CreatedAt;
            Assert.NotNull(task.AppName);
            Assert.Equal("big-org", task.OrganizationName);
            spaces.Add(task.SpaceName!);
            count++;
        }

        Assert.Equal(seeded.Tasks, count);
        Assert.Equal(100_000, listing.Total);
        Assert.Equal(50, spaces.Count);
        var requests = State.Requests().Where(r => r.Path.StartsWith("/v3/", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, requests.Count(r => r.Path == "/v3/tasks")); // 5000 per page
        var lookups = requests.Where(r => r.Path == "/v3/apps").ToList();
        Assert.Equal(2, lookups.Count); // 100 apps, 50 per look-up, spaces and organization included
        Assert.All(lookups, r => Assert.Contains("include=space.organization", HttpUtility.UrlDecode(r.Query), StringComparison.Ordinal));
        Assert.Equal(22, requests.Count); // nothing else: no request per task, app, space or organization
    }

    // ------------------------------------------------------------------ how a task ended

    public static TheoryData<CfTaskState, string?, int?> Endings => new()
    {
        { CfTaskState.Succeeded, null, 0 },
        { CfTaskState.Failed, "APP/TASK/migrate: Exited with status 3", 3 },
        { CfTaskState.Failed, "APP/TASK/125c884d: Exited with status 127", 127 },
        { CfTaskState.Failed, "APP/TASK/migrate: Exited with status 137 (out of memory)", 137 },
        { CfTaskState.Failed, "Exited with status 1", 1 },
        { CfTaskState.Failed, "Exited with status 2 (out of memory)", 2 },
        { CfTaskState.Failed, "APP/TASK/a: b: Exited with status 4", 4 },
        { CfTaskState.Failed, "task was cancelled", null },
        { CfTaskState.Failed, "Unable to request task to be run", null },
        { CfTaskState.Failed, "insufficient resources: memory", null },
        { CfTaskState.Failed, "APP/TASK/x: Exited with status 3 and more", null },
        { CfTaskState.Failed, "Exited with status x", null },
        { CfTaskState.Failed, null, null },
        { CfTaskState.Running, null, null },
        { CfTaskState.Canceling, null, null },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public void The_exit_code_comes_only_from_a_success_or_diegos_two_exit_forms(CfTaskState state, string? failureReason, int? exitCode) =>
        Assert.Equal(exitCode, CfObjectMapper.ExitCodeOf(state, failureReason));

    [Fact]
    public async Task Finished_tasks_carry_their_exit_code_and_duration_and_running_ones_neither()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.SetClockSpeed(20);
        var failing = await session.Tasks.StartAsync(app, new TaskStartRequest { Name = "fails", Command = "sleep 3; exit 3" }, CancellationToken.None);
        var succeeding = await session.Tasks.StartAsync(app, new TaskStartRequest { Name = "works", Command = "echo ok" }, CancellationToken.None);
        var cancelled = await session.Tasks.StartAsync(app, new TaskStartRequest { Name = "cancelled", Command = "sleep 600" }, CancellationToken.None);
        var running = await session.Tasks.StartAsync(app, new TaskStartRequest { Name = "runs", Command = "sleep 6000" }, CancellationToken.None);
        await session.Tasks.CancelAsync(cancelled, CancellationToken.None);
        await foreach (var _ in session.Tasks.WaitAsync([failing, succeeding, cancelled], TimeSpan.FromMinutes(1), CancellationToken.None))
        {
        }

        var byName = (await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app] }))).ToDictionary(t => t.Name);

        Assert.Equal((CfTaskState.Failed, 3), (byName["fails"].State, byName["fails"].ExitCode));
        Assert.Equal(byName["fails"].UpdatedAt - byName["fails"].CreatedAt, byName["fails"].Duration);
        Assert.True(byName["fails"].Duration >= TimeSpan.FromSeconds(2), $"{byName["fails"].Duration}");
        Assert.Equal(0, byName["works"].ExitCode);
        Assert.NotNull(byName["works"].Duration);
        Assert.Equal((CfTaskState.Failed, (int?)null), (byName["cancelled"].State, byName["cancelled"].ExitCode));
        Assert.NotNull(byName["cancelled"].Duration);
        Assert.Equal(((int?)null, (TimeSpan?)null), (byName["runs"].ExitCode, byName["runs"].Duration));
        Assert.Null(running.ExitCode);
    }
}
