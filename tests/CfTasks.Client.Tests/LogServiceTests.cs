using System.Globalization;
using System.Net;
using System.Web;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Models;
using CfTasks.Client.Services;
using FakeCloudFoundry;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.State;
using Xunit;

namespace CfTasks.Client.Tests;

/// <summary>Get-CfTaskLog's engine against the fake log-cache: selection, paging, tail, since, follow, faults.</summary>
public sealed class LogServiceTests : IAsyncLifetime
{
    private const long Second = 1_000_000_000;
    private IFakeHost _fake = null!;
    private CfSession _session = null!;
    private CfApp _app = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeHost.StartAsync();
        _session = await Connect("developer", "developer-password");
        _app = await _session.Apps.GetByNameAsync("billing-worker", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _session.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_long_task_log_is_read_completely_and_in_order_across_pages_without_other_tasks_or_app_lines()
    {
        // An earlier and a later run of the same name, another task and the app's web process all log around it.
        await RunToEnd(await StartTask("migrate", "echo earlier run"));
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(3));
        var task = await StartTask("migrate", "lines 2500");
        await StartTask("report", "lines 400");
        _fake.State.BulkLogs(_app.Guid, new BulkLogSpec
        {
            Count = 4000, SourceType = "APP/PROC/WEB", StartUnixNano = _fake.State.NowUnixNano, IntervalNano = 1_000_000, MessagePrefix = "web ",
        });
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(10));
        await StartTask("migrate", "echo later run");
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(5));
        task = await Refresh(task);
        _fake.State.ClearRequests();

        var lines = await Collect(_session.Logs.GetTaskLogAsync(task, null, CancellationToken.None));

        var expected = Enumerable.Range(1, 2500).Select(i => $"line {i}").Append("Exit status 0").ToList();
        Assert.Equal(expected, lines.Select(l => l.Message).ToList());
        Assert.All(lines, l => Assert.Equal("APP/TASK/migrate", l.SourceType));
        Assert.All(lines, l => Assert.Equal("migrate", l.TaskName));
        Assert.True(lines.Zip(lines.Skip(1)).All(p => p.First.TimestampUnixNanoseconds <= p.Second.TimestampUnixNanoseconds));
        var reads = LogReads();
        Assert.True(reads.Count >= 3, $"expected several log-cache pages, saw {reads.Count} reads");
        Assert.All(reads, r => Assert.Contains("envelope_types=LOG", r.Query));
        Assert.All(reads, r => Assert.True(int.Parse(Query(r, "limit")!) <= 1000));
    }

    [Fact]
    public async Task Tail_returns_the_last_lines_reading_backwards_only_as_far_as_needed()
    {
        var task = await RunToEnd(await StartTask("import", "lines 5000"));
        _fake.State.ClearRequests();

        var lines = await Collect(_session.Logs.GetTaskLogAsync(task, new LogReadOptions { Tail = 3 }, CancellationToken.None));

        Assert.Equal(["line 4999", "line 5000", "Exit status 0"], lines.Select(l => l.Message));
        var reads = LogReads();
        Assert.Single(reads);
        Assert.Equal("true", Query(reads[0], "descending"));
    }

    [Fact]
    public async Task Tail_larger_than_a_page_is_complete_and_in_order()
    {
        var task = await RunToEnd(await StartTask("import", "lines 3000"));

        var lines = await Collect(_session.Logs.GetTaskLogAsync(task, new LogReadOptions { Tail = 1500 }, CancellationToken.None));

        var expected = Enumerable.Range(1502, 1499).Select(i => $"line {i}").Append("Exit status 0").ToList();
        Assert.Equal(expected, lines.Select(l => l.Message).ToList());
    }

    [Fact]
    public async Task Since_bounds_the_start()
    {
        var task = await StartTask("steps", "echo first; sleep 5; echo second; sleep 5; echo third");
        var created = task.CreatedAt;
        task = await RunToEnd(task);
        var second = _fake.State.LogsOf(_app.Guid).Single(e => e.Message == "second");
        var since = CfObjectMapper.FromUnixNanoseconds(second.TimestampNs);

        var lines = await Collect(_session.Logs.GetTaskLogAsync(task, new LogReadOptions { Since = since }, CancellationToken.None));

        Assert.Equal(["second", "third", "Exit status 0"], lines.Select(l => l.Message));
        Assert.True(since > created.AddSeconds(2));
    }

    [Fact]
    public async Task Back_to_back_runs_of_the_same_name_in_the_same_second_are_told_apart()
    {
        // The fake clock only moves when told to: a slow machine (Mono, a loaded CI host) cannot spread the starts apart.
        _fake.State.SetClockSpeed(1e-12);
        var first = await StartTask("job", "echo run one");
        _fake.State.AdvanceClock(TimeSpan.FromMilliseconds(600));
        var second = await StartTask("job", "echo run two");
        _fake.State.AdvanceClock(TimeSpan.FromMilliseconds(600));
        var third = await StartTask("job", "echo run three");
        first = await RunToEnd(first);
        second = await RunToEnd(second);
        third = await RunToEnd(third);

        var lines = await Collect(_session.Logs.GetTaskLogAsync(second, null, CancellationToken.None));

        Assert.Equal(["run two", "Exit status 0"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task Lifecycle_adds_the_cell_lines_that_name_the_task()
    {
        var other = await StartTask("other", "echo x");
        var task = await RunToEnd(await StartTask("printer", "echo hello"));
        await RunToEnd(other);

        var plain = await Collect(_session.Logs.GetTaskLogAsync(task, null, CancellationToken.None));
        var withCell = await Collect(_session.Logs.GetTaskLogAsync(task, new LogReadOptions { IncludeLifecycle = true }, CancellationToken.None));

        Assert.DoesNotContain(plain, l => l.SourceType == "CELL");
        var cell = withCell.Where(l => l.SourceType == "CELL").ToList();
        Assert.Equal(5, cell.Count);
        Assert.All(cell, l => Assert.Contains(task.Guid, l.Message));
        Assert.All(cell, l => Assert.Equal("printer", l.TaskName));
        Assert.Contains("creating container for instance", withCell[0].Message);
        Assert.Contains("successfully destroyed container", withCell[^1].Message);
        Assert.Equal(["hello", "Exit status 0"], withCell.Where(l => l.SourceType != "CELL").Select(l => l.Message));
    }

    [Fact]
    public async Task Envelopes_become_entries_with_decoded_utf8_trimmed_text_and_nanosecond_times()
    {
        var task = await StartTask("utf8", "sleep 10");
        var at = _fake.State.GetTask(task.Guid)!.CreatedAtNs + 1_500_000_123;
        _fake.State.AddLogs(_app.Guid,
        [
            new LogLineSpec { TimestampUnixNano = at, SourceType = "APP/TASK/utf8", Type = "OUT", Message = "Grüße aus Köln — ✓ 日本語 🚀\n" },
            new LogLineSpec { TimestampUnixNano = at + 1, SourceType = "APP/TASK/utf8", Type = "ERR", Message = "failed: ошибка\r\n" },
        ]);
        task = await RunToEnd(task);

        var lines = await Collect(_session.Logs.GetTaskLogAsync(task, null, CancellationToken.None));

        var greeting = lines.Single(l => l.TimestampUnixNanoseconds == at);
        Assert.Equal("Grüße aus Köln — ✓ 日本語 🚀", greeting.Message);
        Assert.Equal("OUT", greeting.Stream);
        Assert.Equal(TimeSpan.Zero, greeting.Timestamp.Offset); // an instant, told in UTC
        Assert.Equal(at / 100, (greeting.Timestamp - new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero)).Ticks);
        Assert.Equal(_app.Guid, greeting.AppGuid);
        Assert.Equal("0", greeting.InstanceId);
        var error = lines.Single(l => l.TimestampUnixNanoseconds == at + 1);
        Assert.Equal("failed: ошибка", error.Message);
        Assert.Equal("ERR", error.Stream);
    }

    [Fact]
    public async Task Follow_ends_by_itself_when_the_task_finishes_with_no_line_lost_or_doubled()
    {
        _fake.State.SetClockSpeed(4);
        var task = await StartTask("stream", "lines 1500; sleep 1; lines 1500; echo done >&2");
        _fake.State.BulkLogs(_app.Guid, new BulkLogSpec
        {
            Count = 3000, SourceType = "APP/PROC/WEB", StartUnixNano = _fake.State.NowUnixNano, IntervalNano = 1_000_000, MessagePrefix = "web ",
        });
        var options = new LogReadOptions { PollInterval = TimeSpan.FromMilliseconds(50), TaskPollInterval = TimeSpan.FromMilliseconds(100), FollowOverlap = TimeSpan.FromMilliseconds(500), FinalLinesGrace = NoGrace };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var follow = _session.Logs.FollowTaskAsync(task, options, timeout.Token);
        var lines = await Collect(follow);

        var expected = Enumerable.Range(1, 1500).Select(i => $"line {i}")
            .Concat(Enumerable.Range(1, 1500).Select(i => $"line {i}")).Append("done").Append("Exit status 0").ToList();
        Assert.Equal(expected, lines.Select(l => l.Message).ToList());
        Assert.Equal(CfTaskState.Succeeded, follow.Task.State);
        Assert.True(_fake.State.Requests().Count(r => r.Path == $"/v3/tasks/{task.Guid}") > 1, "the task was seen running before it finished");
        var reads = LogReads().Count;
        Assert.True(reads > 3, $"the log was polled while it grew ({reads} reads)");
    }

    [Fact]
    public async Task Follow_of_a_finished_task_returns_its_log_and_ends()
    {
        var task = await RunToEnd(await StartTask("done", "echo a; echo b; exit 3"));

        var lines = await Collect(_session.Logs.FollowTaskAsync(task, new LogReadOptions { FinalLinesGrace = NoGrace }, Within2Minutes()));

        Assert.Equal(["a", "b", "Exit status 3"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task Follow_of_a_short_task_ends_on_its_exit_line_not_on_a_grace_period()
    {
        _fake.State.SetClockSpeed(4);
        var task = await StartTask("short", "echo quick");
        var options = new LogReadOptions { PollInterval = TimeSpan.FromMilliseconds(50), TaskPollInterval = TimeSpan.FromMilliseconds(100), FinalLinesGrace = NoGrace };

        var lines = await Collect(_session.Logs.FollowTaskAsync(task, options, Within2Minutes()));

        Assert.Equal(["quick", "Exit status 0"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task Follow_with_tail_shows_the_last_lines_then_the_rest_once()
    {
        _fake.State.SetClockSpeed(4);
        var task = await StartTask("tailing", "lines 200; sleep 20; lines 300"); // 5 s of real time between the bursts, even on a slow machine
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(1));
        var options = new LogReadOptions { Tail = 5, PollInterval = TimeSpan.FromMilliseconds(50), TaskPollInterval = TimeSpan.FromMilliseconds(100), FinalLinesGrace = NoGrace };

        var lines = await Collect(_session.Logs.FollowTaskAsync(task, options, CancellationToken.None));

        var expected = Enumerable.Range(196, 5).Select(i => $"line {i}").Concat(Enumerable.Range(1, 300).Select(i => $"line {i}")).Append("Exit status 0");
        Assert.Equal(expected, lines.Select(l => l.Message));
    }

    [Fact]
    public async Task A_line_that_reaches_log_cache_late_is_given_once_the_task_has_finished_so_a_follow_has_the_whole_log()
    {
        // "second" is stamped before "third" but reaches log-cache 6 s later. The fake clock is all but stopped and moved by
        // hand: first to where "third" is in and "second" is not, until the follow has read past "second" by more than
        // the 2 s each poll reads back; then past the task's end. Only reading the finished task's window once more
        // finds "second".
        _fake.State.SetClockSpeed(0.001);
        var task = await StartTask("late", "echo first; late 6 second; sleep 3; echo third; sleep 8; echo fourth");
        var options = new LogReadOptions { PollInterval = TimeSpan.FromMilliseconds(20), TaskPollInterval = TimeSpan.FromMilliseconds(20), FinalLinesGrace = NoGrace };

        var follow = _session.Logs.FollowTaskAsync(task, options, Within2Minutes());
        var following = Collect(follow);
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(4));
        var afterSecond = _fake.State.LogsOf(_app.Guid).Single(e => e.Message == "first").TimestampNs + Second / 2; // "second" is 1-3 ms after "first"
        await WaitFor(() => LogReads().Any(r => long.Parse(Query(r, "start_time") ?? "0", CultureInfo.InvariantCulture) > afterSecond));
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(10));
        var followed = await following;
        var afterwards = await Collect(_session.Logs.GetTaskLogAsync(follow.Task, null, CancellationToken.None));

        static string Key(CfLogEntry line) => $"{line.TimestampUnixNanoseconds} {line.SourceType} {line.Stream} {line.Message}";
        Assert.Equal(afterwards.Select(Key).Order(StringComparer.Ordinal), followed.Select(Key).Order(StringComparer.Ordinal));
        Assert.Equal(["first", "third", "fourth", "Exit status 0", "second"], followed.Select(l => l.Message));
    }

    [Fact]
    public async Task The_final_read_of_a_followed_tail_adds_no_line_from_before_the_tail()
    {
        var task = await RunToEnd(await StartTask("tailed", "lines 50"));

        var lines = await Collect(_session.Logs.FollowTaskAsync(task, new LogReadOptions { Tail = 3, FinalLinesGrace = NoGrace }, Within2Minutes()));

        Assert.Equal(["line 49", "line 50", "Exit status 0"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task Follow_stops_at_once_when_cancelled()
    {
        var task = await StartTask("forever", "sleep 3600");
        using var stop = new CancellationTokenSource();
        var options = new LogReadOptions { PollInterval = TimeSpan.FromMilliseconds(20), TaskPollInterval = TimeSpan.FromMilliseconds(20) };
        var follow = Collect(_session.Logs.FollowTaskAsync(task, options, stop.Token));
        await WaitFor(() => LogReads().Count >= 2);

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follow);
    }

    [Fact]
    public async Task Follow_keeps_going_across_token_renewals()
    {
        _fake.State.SetAccessTokenLifetime(5);
        using var session = await Connect("developer", "developer-password");
        _fake.State.SetClockSpeed(5);
        var task = await StartTask("slow", "echo start; sleep 20; echo end", session);
        var options = new LogReadOptions { PollInterval = TimeSpan.FromMilliseconds(50), TaskPollInterval = TimeSpan.FromMilliseconds(100), FinalLinesGrace = NoGrace };

        var lines = await Collect(session.Logs.FollowTaskAsync(task, options, Within2Minutes()));

        Assert.Equal(["start", "end", "Exit status 0"], lines.Select(l => l.Message));
        Assert.True(session.Tokens.RenewalCount > 0);
    }

    [Fact]
    public async Task A_404_renews_the_token_once_and_asks_again()
    {
        var task = await RunToEnd(await StartTask("revoked", "echo secret-ish"));
        _fake.State.ExpireTokens(); // every token issued so far is rejected: log-cache answers 404 with an empty body
        _fake.State.ClearRequests();

        var lines = await Collect(_session.Logs.GetTaskLogAsync(task, null, CancellationToken.None));

        Assert.Equal(["secret-ish", "Exit status 0"], lines.Select(l => l.Message));
        var reads = LogReads();
        Assert.Equal([404, 200], reads.Select(r => r.Status));
        Assert.Contains(_fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_404_that_stays_is_a_clear_error()
    {
        var task = await RunToEnd(await StartTask("gone", "echo x"));
        _fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/log-cache/api/v1/read/", Action = FaultActions.Status, Status = 404, Body = "" });

        var error = await Assert.ThrowsAsync<CfException>(() => Collect(_session.Logs.GetTaskLogAsync(task, null, CancellationToken.None)));

        Assert.Equal(CfFailure.LogsNotFound, error.Failure);
        Assert.Equal(CfErrorKind.NotFound, error.Kind);
        Assert.Contains("404", error.Message);
        Assert.Contains("renewed token", error.Message);
        Assert.DoesNotContain("Connect-CfTarget", error.Message); // what to run is the cmdlets' advice (ErrorCatalog)
        Assert.Equal(2, LogReads().Count(r => r.Status == 404));
    }

    [Fact]
    public async Task Rate_limiting_halves_the_page_size_and_the_log_is_still_complete()
    {
        var task = await RunToEnd(await StartTask("busy", "lines 1200"));
        _fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/log-cache/api/v1/read/", Action = FaultActions.Status, Status = 429, Count = 2 });
        _fake.State.ClearRequests();

        var lines = await Collect(_session.Logs.GetTaskLogAsync(task, null, CancellationToken.None));

        Assert.Equal(Enumerable.Range(1, 1200).Select(i => $"line {i}").Append("Exit status 0"), lines.Select(l => l.Message));
        var limits = LogReads().Select(r => (r.Status, Limit: int.Parse(Query(r, "limit")!))).ToList();
        Assert.Equal((429, 1000), limits[0]);
        Assert.Equal((429, 500), limits[1]);
        Assert.Equal((200, 250), limits[2]);
        Assert.All(limits.Skip(2), l => Assert.Equal(250, l.Limit));
    }

    [Fact]
    public async Task A_foundation_without_log_cache_is_a_clear_error()
    {
        var task = await RunToEnd(await StartTask("nolog", "echo x"));
        _fake.State.AddFault(new FaultRule
        {
            Method = "GET", Path = "^/$", Action = FaultActions.Body, Status = 200,
            Body = """{"links":{"self":{"href":"BASE"},"cloud_controller_v3":{"href":"BASE/v3","meta":{"version":"3.228.0"}},"login":{"href":"BASE/login"},"uaa":{"href":"BASE/uaa"}}}"""
                .Replace("BASE", _fake.BaseUrl.ToString()),
        });
        using var session = await Connect("developer", "developer-password");

        var error = await Assert.ThrowsAsync<CfException>(() => Collect(session.Logs.GetTaskLogAsync(task, null, CancellationToken.None)));

        Assert.Equal(CfFailure.LogCacheNotAvailable, error.Failure);
        Assert.Contains("log_cache", error.Message);
    }

    [Fact]
    public async Task App_task_lines_cover_every_task_or_one_name_and_never_app_lines()
    {
        var a = await StartTask("alpha", "echo a1; echo a2");
        var b = await StartTask("beta", "echo b1");
        _fake.State.AddLogs(_app.Guid, [new LogLineSpec { SourceType = "APP/PROC/WEB", Message = "GET / 200" }]);
        await RunToEnd(a);
        await RunToEnd(b);

        var all = await Collect(_session.Logs.GetAppTaskLogAsync(_app, null, null, CancellationToken.None));
        var alpha = await Collect(_session.Logs.GetAppTaskLogAsync(_app, "alpha", new LogReadOptions { IncludeLifecycle = true }, CancellationToken.None));
        var tail = await Collect(_session.Logs.GetAppTaskLogAsync(_app, "alpha", new LogReadOptions { Tail = 1 }, CancellationToken.None));

        Assert.Equal(["a1", "a2", "Exit status 0"], all.Where(l => l.TaskName == "alpha").Select(l => l.Message));
        Assert.Equal(["b1", "Exit status 0"], all.Where(l => l.TaskName == "beta").Select(l => l.Message));
        Assert.Equal(5, all.Count);
        Assert.DoesNotContain(all, l => l.SourceType is "APP/PROC/WEB" or "CELL");
        Assert.Equal(5, alpha.Count(l => l.SourceType == "CELL"));
        Assert.All(alpha, l => Assert.Equal("alpha", l.TaskName));
        Assert.Equal(["Exit status 0"], tail.Select(l => l.Message));
    }

    // ----- helpers -----

    /// <summary>A follow that only ended because of its grace period would time the test out instead.</summary>
    private static readonly TimeSpan NoGrace = TimeSpan.FromMinutes(10);

    private static CancellationToken Within2Minutes() => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private async Task<CfSession> Connect(string user, string password)
    {
        var request = new CfConnectRequest(_fake.BaseUrl, new CfCredential.Password(new NetworkCredential(user, password)))
        {
            Organization = "demo-org",
            Space = "demo-space",
            Options = new CfClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 2 },
        };
        return await CfSession.ConnectAsync(request, CancellationToken.None);
    }

    private async Task<CfTask> StartTask(string name, string command, CfSession? session = null)
    {
        session ??= _session;
        var created = await session.CloudController.CreateTask(_app.Guid, new TaskCreateRequest { Name = name, Command = command }, CancellationToken.None);
        return CfObjectMapper.ToTask(created, _app.Name, session.Target);
    }

    private async Task<CfTask> Refresh(CfTask task) =>
        CfObjectMapper.ToTask(await _session.CloudController.GetTask(task.Guid, CancellationToken.None), _app.Name, _session.Target);

    /// <summary>Moves the fake clock until the task is terminal (fake time only: no real waiting).</summary>
    private async Task<CfTask> RunToEnd(CfTask task)
    {
        for (var i = 0; i < 200 && _fake.State.GetTask(task.Guid)!.State is "RUNNING" or "PENDING" or "CANCELING"; i++)
            _fake.State.AdvanceClock(TimeSpan.FromSeconds(1));
        return await Refresh(task);
    }

    private static async Task<List<CfLogEntry>> Collect(IAsyncEnumerable<CfLogEntry> entries)
    {
        var list = new List<CfLogEntry>();
        await foreach (var entry in entries) list.Add(entry);
        return list;
    }

    private List<RecordedRequest> LogReads() =>
        _fake.State.Requests().Where(r => r.Path.Contains("/log-cache/api/v1/read/", StringComparison.Ordinal)).ToList();

    private static string? Query(RecordedRequest request, string key) => HttpUtility.ParseQueryString(request.Query).Get(key);

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(20);
        Assert.True(condition());
    }
}
