using System.Net;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Services;
using FakeCloudFoundry;
using FakeCloudFoundry.State;
using CfApp = CfTasks.CfApp;

namespace CfTasks.Client.Tests;

/// <summary>TaskService against the fake: what a C# caller of the client library sees.</summary>
public sealed class TaskServiceTests : IClassFixture<ClientFixture>
{
    private readonly ClientFixture _fixture;
    private IFakeControls State => _fixture.Fake.State;

    public TaskServiceTests(ClientFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    private static Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items) => AsyncLists.ToListAsync(items);

    /// <summary>What a wait said about each task (its progress-only updates left out).</summary>
    private static async Task<List<TaskWaitOutcome>> OutcomesAsync(IAsyncEnumerable<TaskWaitUpdate> updates) =>
        (await ToListAsync(updates)).Select(u => u.Outcome).OfType<TaskWaitOutcome>().ToList();

    private async Task<(CfSession Session, CfApp App)> ConnectWithAppAsync(string app = "training-app")
    {
        var session = await _fixture.ConnectAsync();
        return (session, await session.Apps.GetByNameAsync(app, CancellationToken.None));
    }

    // ------------------------------------------------------------------ start

    [Fact]
    public async Task Seed_walkthrough_start_sends_8_MB_of_memory_and_64_MB_of_disk()
    {
        var (session, app) = await ConnectWithAppAsync();

        var task = await session.Tasks.StartAsync(app, new TaskStartRequest
        {
            Name = "printenv", Command = "tasks/printenv.sh", MemoryInMb = ByteQuantity.ParseMegabytes("8M"), DiskInMb = ByteQuantity.ParseMegabytes("64M"),
        }, CancellationToken.None);

        var created = Assert.Single(State.TasksOf(app.Guid));
        Assert.Equal((8, 64, "printenv", "tasks/printenv.sh"), (created.MemoryInMb, created.DiskInMb, created.Name, created.Command));
        Assert.Equal(created.Guid, task.Guid);
        Assert.Equal((CfTaskState.Running, 1, "training-app", 8, 64), (task.State, task.SequenceId, task.AppName, task.MemoryInMb, task.DiskInMb));
        Assert.Equal("tasks/printenv.sh", task.Command);
        Assert.Matches("^[0-9a-f]{32}$", task.Labels[TaskStarter.RequestIdLabel]);
        Assert.Single(_fixture.RequestsTo("POST", $"/v3/apps/{app.Guid}/tasks"));
    }

    [Fact]
    public async Task Without_command_or_process_the_apps_task_process_is_the_template_like_cf_run_task()
    {
        var (session, app) = await ConnectWithAppAsync();

        var task = await session.Tasks.StartAsync(app, new TaskStartRequest(), CancellationToken.None);

        Assert.Equal(("tasks/default.sh", 128, 512), (task.Command, task.MemoryInMb, task.DiskInMb));
        Assert.Single(_fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/processes/task"));
    }

    [Fact]
    public async Task Process_uses_that_process_as_the_template_and_explicit_sizes_win()
    {
        var (session, app) = await ConnectWithAppAsync();

        var task = await session.Tasks.StartAsync(app, new TaskStartRequest { Process = "web", DiskInMb = 100 }, CancellationToken.None);

        Assert.Equal(("bundle exec rackup", 256, 100), (task.Command, task.MemoryInMb, task.DiskInMb));
    }

    [Fact]
    public async Task Unknown_process_type_is_process_not_found_naming_app_and_type()
    {
        var (session, app) = await ConnectWithAppAsync();

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.StartAsync(app, new TaskStartRequest { Process = "worker" }, CancellationToken.None));

        Assert.Equal((CfFailure.ProcessNotFound, CfErrorKind.NotFound), (error.Failure, error.Kind));
        Assert.Contains("training-app", error.Message, StringComparison.Ordinal);
        Assert.Contains("worker", error.Message, StringComparison.Ordinal);
        Assert.Empty(State.TasksOf(app.Guid));
    }

    [Fact]
    public async Task App_without_a_task_process_and_no_command_says_to_give_a_command()
    {
        var (session, app) = await ConnectWithAppAsync("unstaged-app");

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.StartAsync(app, new TaskStartRequest(), CancellationToken.None));

        Assert.Equal((CfFailure.NoTaskCommand, CfErrorKind.InvalidArgument), (error.Failure, error.Kind));
        Assert.Contains("no 'task' process", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-Command", error.Message, StringComparison.Ordinal); // what to type is the cmdlets' advice (ErrorCatalog)
    }

    [Fact]
    public async Task Cloud_controller_422_is_an_invalid_argument_carrying_its_detail_and_is_not_retried()
    {
        var (session, app) = await ConnectWithAppAsync("unstaged-app");

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.StartAsync(app, new TaskStartRequest { Command = "bin/x" }, CancellationToken.None));

        Assert.Equal((CfFailure.TaskRejected, CfErrorKind.InvalidArgument, 422), (error.Failure, error.Kind, error.StatusCode));
        Assert.Contains("Task must have a droplet", error.Message, StringComparison.Ordinal);
        Assert.Single(_fixture.RequestsTo("POST", $"/v3/apps/{app.Guid}/tasks"));
    }

    [Fact]
    public async Task Disk_over_the_foundations_maximum_is_rejected_with_ccs_words()
    {
        var (session, app) = await ConnectWithAppAsync();

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.StartAsync(app, new TaskStartRequest { Command = "x", DiskInMb = 4096 }, CancellationToken.None));

        Assert.Equal(CfErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("Cannot request disk_in_mb greater than 2048", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auditor_may_not_start_tasks_permission_denied()
    {
        var session = await _fixture.ConnectAsync("auditor", "auditor-password");
        var app = await session.Apps.GetByNameAsync("training-app", CancellationToken.None);

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.StartAsync(app, new TaskStartRequest { Command = "x" }, CancellationToken.None));

        Assert.Equal((CfErrorKind.PermissionDenied, CfFailure.PermissionDenied), (error.Kind, error.Failure));
        Assert.Empty(State.TasksOf(app.Guid));
    }

    // ------------------------------------------------------------------ list

    [Fact]
    public async Task A_12000_task_app_is_listed_completely_and_exactly_once_in_pages_of_5000()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 12_000, NamePrefix = "job" });
        State.ClearRequests();

        var tasks = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app] }));

        Assert.Equal(12_000, tasks.Count);
        Assert.Equal(12_000, tasks.Select(t => t.Guid).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 12_000).Reverse(), tasks.Select(t => t.SequenceId)); // newest first, like cf tasks
        Assert.All(tasks, t => Assert.Equal(("training-app", "tasks/default.sh"), (t.AppName, t.Command)));
        var pages = _fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks");
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.Contains("per_page=5000", p.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tasks_started_in_the_same_second_are_listed_newest_first_by_sequence_id()
    {
        // CC orders by created_at, to the second, then by guid: tasks sharing a second come in no useful order. The
        // fake's clock is held still so six starts share one timestamp and the fake orders them by guid, as CC does.
        var (session, app) = await ConnectWithAppAsync();
        State.SetClockSpeed(1e-12); // one fake nanosecond per 1000 s: the starts share a timestamp
        for (var i = 0; i < 6; i++) await session.Tasks.StartAsync(app, new TaskStartRequest { Name = $"same-{i}" }, CancellationToken.None);

        var tasks = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app] }));

        Assert.Single(tasks.Select(t => t.CreatedAt).Distinct());
        Assert.Equal([6, 5, 4, 3, 2, 1], tasks.Select(t => t.SequenceId));
    }

    [Fact]
    public async Task Tasks_of_one_second_that_straddle_a_page_boundary_still_come_newest_first()
    {
        // Six starts share one second (the fake orders ties by guid, as CC does); 4997 newer tasks push three of them
        // onto the second page of 5000.
        var (session, app) = await ConnectWithAppAsync();
        State.SetClockSpeed(1e-12);
        for (var i = 0; i < 6; i++) await session.Tasks.StartAsync(app, new TaskStartRequest { Name = $"same-{i}" }, CancellationToken.None);
        State.AdvanceClock(TimeSpan.FromHours(3));
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 4_997 });
        State.ClearRequests();

        var tasks = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app] }));

        Assert.Equal(5_003, tasks.Count);
        // Two pages (the clock jump expired the token: its 401 and the replay are not pages).
        Assert.Equal(2, _fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks").Count(r => r.Status == 200));
        Assert.Equal([6, 5, 4, 3, 2, 1], tasks.Skip(4_997).Select(t => t.SequenceId));
    }

    [Theory]
    [InlineData(1, 0, new[] { 8 })]
    [InlineData(3, 0, new[] { 8, 7, 6 })]
    [InlineData(2, 3, new[] { 5, 4 })]
    public async Task First_and_skip_count_in_creation_order_when_a_second_holds_tasks_the_server_orders_by_guid(int first, int skip, int[] expected)
    {
        // Eight starts in one second: CC (and the fake) order them by guid within the second, so -First 1 is the newest
        // only if the whole second is read before anything is yielded.
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 2 });
        State.AdvanceClock(TimeSpan.FromMinutes(1));
        State.SetClockSpeed(1e-12);
        for (var i = 0; i < 8 - 2; i++) await session.Tasks.StartAsync(app, new TaskStartRequest { Name = $"same-{i}" }, CancellationToken.None);

        var tasks = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app], First = first, Skip = skip }));

        Assert.Equal(expected, tasks.Select(t => t.SequenceId));
    }

    [Fact]
    public async Task Stopping_after_the_first_task_fetches_one_page_only()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 6_000 });
        State.ClearRequests();

        await foreach (var _ in session.Tasks.List(new TaskListQuery { Apps = [app] })) break;

        Assert.Single(_fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks"));
    }

    [Fact]
    public async Task The_next_page_is_requested_while_the_second_half_of_this_one_is_taken()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 12_000 });
        State.ClearRequests();
        int Pages() => _fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks").Count;

        var count = 0;
        int? atHalf = null, atEndOfFirstPage = null;
        await foreach (var _ in session.Tasks.List(new TaskListQuery { Apps = [app] }))
        {
            count++;
            if (count == PagedReader.ReadAheadAfter - PagedReader.ChunkSize) atHalf = Pages();
            if (count == PagedReader.MaxPerPage)
            {
                // Holding the last task of page 1: page 2 is on its way (or in) already.
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (Pages() < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
                atEndOfFirstPage = Pages();
            }
        }

        Assert.Equal(12_000, count);
        Assert.Equal(1, atHalf);           // nothing read ahead in the first half of a page
        Assert.Equal(2, atEndOfFirstPage); // page 2 requested before page 1 was taken whole
        Assert.Equal(3, Pages());
    }

    [Fact]
    public async Task Stopping_while_the_next_page_is_on_its_way_ends_the_listing_cleanly()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 12_000 });
        State.ClearRequests();

        var count = 0;
        await foreach (var _ in session.Tasks.List(new TaskListQuery { Apps = [app] }))
            if (++count == PagedReader.ReadAheadAfter + PagedReader.ChunkSize) break;

        Assert.Equal(PagedReader.ReadAheadAfter + PagedReader.ChunkSize, count);
        Assert.InRange(_fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks").Count, 1, 2); // never page 3
        // The session goes on as before.
        Assert.Equal(5, (await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app], First = 5 }))).Count);
    }

    [Fact]
    public async Task First_within_one_page_never_reads_a_page_ahead()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 6_000 });
        State.ClearRequests();

        var tasks = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app], First = 4_000 }));

        Assert.Equal(4_000, tasks.Count);
        Assert.Single(_fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks"));
    }

    [Fact]
    public async Task First_shapes_the_page_size_and_the_total_comes_from_the_pagination_block()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 30 });
        State.ClearRequests();
        var listing = session.Tasks.List(new TaskListQuery { Apps = [app], First = 3 });

        var tasks = await ToListAsync(listing);

        Assert.Equal([30, 29, 28], tasks.Select(t => t.SequenceId));
        Assert.Equal((30L, true, true), (listing.Total, listing.IsTotalExact, listing.IsTotalKnown));
        var request = Assert.Single(_fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks"));
        Assert.Contains("per_page=4", request.Query, StringComparison.Ordinal); // one more: the next task shows the third's second is complete
    }

    [Fact]
    public async Task Skip_jumps_whole_pages_on_the_server()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 12_000 });
        State.ClearRequests();

        var tasks = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app], Skip = 10_000, First = 2 }));

        Assert.Equal([2_000, 1_999], tasks.Select(t => t.SequenceId));
        var requests = _fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks");
        Assert.Single(requests); // pages of 4: the 10,001st task and the two after it are on page 2501
        Assert.Contains("page=2501", requests[0].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Space_listing_uses_v3_tasks_and_fills_app_names_with_batched_lookups()
    {
        var session = await _fixture.ConnectAsync();
        var apps = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var created = State.CreateApp(new AppSpec { Name = $"batch-{i:00}" });
            State.BulkTasks(created.Guid, new BulkTaskSpec { Count = 5 });
            apps.Add(created.Name);
        }
        State.ClearRequests();

        var tasks = await ToListAsync(session.Tasks.List(new TaskListQuery()));

        Assert.Equal(300, tasks.Count);
        Assert.All(tasks, t => Assert.StartsWith("batch-", t.AppName, StringComparison.Ordinal));
        Assert.All(tasks, t => Assert.Null(t.Command)); // /v3/tasks never carries command
        var spaceGuid = session.Target.SpaceGuid!;
        var list = Assert.Single(_fixture.RequestsTo("GET", "/v3/tasks"));
        Assert.Contains($"space_guids={spaceGuid}", list.Query, StringComparison.Ordinal);
        var appLookups = _fixture.RequestsTo("GET", "/v3/apps");
        Assert.Equal(2, appLookups.Count); // 60 apps in batches of 50
        Assert.DoesNotContain(State.Requests(), r => r.Path.StartsWith("/v3/apps/", StringComparison.Ordinal)); // never one look-up per app or task
    }

    [Fact]
    public async Task Filters_go_to_the_server_as_query_parameters()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 4, NamePrefix = "ok", State = "SUCCEEDED" });
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 3, NamePrefix = "bad", State = "FAILED" });
        State.ClearRequests();

        var failed = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app], States = [CfTaskState.Failed], Names = ["bad-2", "ok-1"] }));
        var bySequence = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app], SequenceIds = [2, 6] }));

        var one = Assert.Single(failed);
        Assert.Equal(("bad-2", CfTaskState.Failed, "APP/TASK/bad-2: Exited with status 1"), (one.Name, one.State, one.FailureReason));
        Assert.Equal([6, 2], bySequence.Select(t => t.SequenceId));
        var queries = _fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks").Select(r => Uri.UnescapeDataString(r.Query)).ToList();
        Assert.Contains(queries, q => q.Contains("states=FAILED", StringComparison.Ordinal) && q.Contains("names=bad-2,ok-1", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("sequence_ids=2,6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wildcard_names_are_matched_here_and_the_total_is_marked_inexact()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 3, NamePrefix = "migrate" });
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 2, NamePrefix = "report" });
        var listing = session.Tasks.List(new TaskListQuery { Apps = [app], NameMatch = n => n.StartsWith("rep", StringComparison.Ordinal) });

        var tasks = await ToListAsync(listing);

        Assert.Equal(["report-2", "report-1"], tasks.Select(t => t.Name));
        Assert.False(listing.IsTotalExact);
    }

    [Fact]
    public async Task Sequence_ids_without_an_app_are_refused_before_any_request()
    {
        var session = await _fixture.ConnectAsync();
        State.ClearRequests();

        var error = await Assert.ThrowsAsync<CfException>(() => ToListAsync(session.Tasks.List(new TaskListQuery { SequenceIds = [1] })));

        Assert.Equal((CfFailure.SequenceIdNeedsApp, CfErrorKind.InvalidArgument), (error.Failure, error.Kind));
        Assert.Empty(_fixture.RequestsTo("GET", "/v3/tasks"));
    }

    [Fact]
    public async Task Hidden_command_is_null_for_an_auditor()
    {
        var (developer, app) = await ConnectWithAppAsync();
        await developer.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 100" }, CancellationToken.None);
        var auditor = await _fixture.ConnectAsync("auditor", "auditor-password");
        var seen = await auditor.Apps.GetByNameAsync("training-app", CancellationToken.None);

        var task = Assert.Single(await ToListAsync(auditor.Tasks.List(new TaskListQuery { Apps = [seen] })));

        Assert.Null(task.Command);
    }

    [Fact]
    public async Task Get_by_guid_returns_the_task_with_its_app_name_or_task_not_found()
    {
        var (session, app) = await ConnectWithAppAsync();
        var started = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 100" }, CancellationToken.None);

        var task = await session.Tasks.GetAsync(started.Guid, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<CfException>(() => session.Tasks.GetAsync(Guid.NewGuid().ToString(), CancellationToken.None));

        Assert.Equal(("training-app", "sleep 100"), (task.AppName, task.Command));
        Assert.Equal((CfFailure.TaskNotFound, CfErrorKind.NotFound), (missing.Failure, missing.Kind));
    }

    // ------------------------------------------------------------------ cancel

    [Fact]
    public async Task Cancel_answers_canceling_and_the_task_ends_failed_with_task_was_cancelled()
    {
        var (session, app) = await ConnectWithAppAsync();
        var started = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 600" }, CancellationToken.None);

        var canceling = await session.Tasks.CancelAsync(started, CancellationToken.None);
        var outcomes = await OutcomesAsync(session.Tasks.WaitAsync([canceling], TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(CfTaskState.Canceling, canceling.State);
        Assert.Single(_fixture.RequestsTo("POST", $"/v3/tasks/{started.Guid}/actions/cancel"));
        var final = Assert.Single(outcomes);
        Assert.Null(final.Error);
        Assert.Equal((CfTaskState.Failed, "task was cancelled"), (final.Task.State, final.Task.FailureReason));
        Assert.Equal("sleep 600", final.Task.Command); // kept although /v3/tasks hides it
    }

    [Fact]
    public async Task Cancelling_a_finished_task_is_not_cancelable_naming_the_task_and_its_state()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 1, NamePrefix = "done", State = "SUCCEEDED" });
        var done = Assert.Single(await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app] })));

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.CancelAsync(done, CancellationToken.None));

        Assert.Equal((CfFailure.TaskNotCancelable, CfErrorKind.InvalidOperation), (error.Failure, error.Kind));
        Assert.Contains("1 (done-1) of app 'training-app'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Succeeded", error.Message, StringComparison.Ordinal);
        Assert.Same(done, error.Target);
    }

    // ------------------------------------------------------------------ wait

    [Fact]
    public async Task Waiting_for_120_tasks_polls_with_batched_guid_lists_of_at_most_50()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 120, State = "RUNNING" });
        var running = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app] }));
        foreach (var task in State.TasksOf(app.Guid)) await session.Tasks.CancelAsync(running.Single(t => t.Guid == task.Guid), CancellationToken.None);
        State.ClearRequests();
        var updates = await ToListAsync(session.Tasks.WaitAsync(running, TimeSpan.FromSeconds(60), CancellationToken.None));
        var outcomes = updates.Select(u => u.Outcome).OfType<TaskWaitOutcome>().ToList();
        var progress = updates.Select(u => u.Progress).ToList();

        Assert.Equal(120, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(CfTaskState.Failed, o.Task.State));
        Assert.Equal(120, outcomes.Select(o => o.Task.Guid).Distinct().Count());
        var polls = _fixture.RequestsTo("GET", "/v3/tasks");
        Assert.NotEmpty(polls);
        Assert.All(polls, p =>
        {
            var guids = System.Web.HttpUtility.ParseQueryString(p.Query)["guids"]!.Split(',');
            Assert.InRange(guids.Length, 1, 50);
        });
        Assert.DoesNotContain(State.Requests(), r => r.Path.StartsWith("/v3/tasks/", StringComparison.Ordinal));
        Assert.Equal(120, progress[^1].Finished);
    }

    [Fact]
    public async Task Canceling_is_not_terminal_and_a_timeout_reports_each_unfinished_task()
    {
        var (session, app) = await ConnectWithAppAsync();
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 2, State = "CANCELING" });
        State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 1, State = "SUCCEEDED", NamePrefix = "done" });
        var tasks = await ToListAsync(session.Tasks.List(new TaskListQuery { Apps = [app] }));

        var outcomes = await OutcomesAsync(session.Tasks.WaitAsync(tasks, TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Equal(3, outcomes.Count);
        var finished = Assert.Single(outcomes, o => o.Error is null);
        Assert.Equal(CfTaskState.Succeeded, finished.Task.State);
        var timedOut = outcomes.Where(o => o.Error is not null).ToList();
        Assert.Equal(2, timedOut.Count);
        Assert.All(timedOut, o => Assert.Equal((CfFailure.TaskWaitTimeout, CfErrorKind.Timeout, CfTaskState.Canceling), (o.Error!.Failure, o.Error.Kind, o.Task.State)));
    }

    [Fact]
    public async Task A_failed_task_is_reported_with_its_failure_reason()
    {
        var (session, app) = await ConnectWithAppAsync();
        var started = await session.Tasks.StartAsync(app, new TaskStartRequest { Name = "migrate", Command = "echo boom; exit 3" }, CancellationToken.None);

        var outcome = Assert.Single(await OutcomesAsync(session.Tasks.WaitAsync([started], null, CancellationToken.None)));
        var error = CfErrors.TaskFailed(outcome.Task);

        Assert.Equal(CfTaskState.Failed, outcome.Task.State);
        Assert.Equal((CfFailure.TaskFailed, CfErrorKind.TaskFailed), (error.Failure, error.Kind));
        Assert.Contains("APP/TASK/migrate: Exited with status 3", error.Message, StringComparison.Ordinal);
    }
}
