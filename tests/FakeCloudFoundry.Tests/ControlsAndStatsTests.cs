using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using FakeCloudFoundry.State;
using Xunit.Abstractions;

namespace FakeCloudFoundry.Tests;

public sealed class ControlsAndStatsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FakeSession _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSession.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Stats_count_concurrent_requests()
    {
        var token = await _fake.LoginAsync();
        _fake.State.ResetStats();
        _fake.State.SetLatency(300);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _fake.GetAsync("/v3/apps", token)));
        var stats = _fake.State.Stats();
        Assert.Equal(20, stats.TotalRequests);
        Assert.Equal(0, stats.InFlight);
        Assert.True(stats.MaxInFlight >= 10, $"maxInFlight {stats.MaxInFlight}");

        var overHttp = await _fake.GetAsync("/_fake/stats", null);
        Assert.Equal(20, overHttp.Body["totalRequests"]!.GetValue<long>());
        Assert.Equal(stats.MaxInFlight, overHttp.Body["maxInFlight"]!.GetValue<int>());
    }

    [Fact]
    public async Task Requests_are_recorded_with_their_auth_kind_but_never_the_token()
    {
        var token = await _fake.LoginAsync();
        await _fake.GetAsync("/v3/apps?names=training-app", token);
        await _fake.GetAsync("/v3/info", null);
        var recorded = await _fake.GetAsync("/_fake/requests", null);
        Assert.DoesNotContain(token, recorded.Text);
        Assert.DoesNotContain("Y2Y6", recorded.Text);
        var requests = recorded.Body.AsArray();
        Assert.Equal(["POST /login/oauth/token basic 200", "GET /v3/apps?names=training-app bearer 200", "GET /v3/info none 200"],
            requests.Select(r => $"{r!["method"]} {r["path"]}{r["query"]} {r["auth"]} {r["status"]}"));
        Assert.NotNull(requests[0]!["startedAt"]);
        Assert.NotNull(requests[0]!["endedAt"]);

        await _fake.SendJsonAsync(HttpMethod.Delete, "/_fake/requests", null, null);
        Assert.Empty(_fake.State.Requests());
    }

    [Fact]
    public async Task The_read_controls_show_tasks_and_logs_as_the_state_has_them()
    {
        var token = await _fake.LoginAsync();
        var app = _fake.App();
        var started = await _fake.StartTaskAsync(token, app, new { command = "echo hello", name = "greet", memory_in_mb = 64 });
        var guid = started.Body["guid"]!.GetValue<string>();
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(5));

        var task = await _fake.GetAsync($"/_fake/tasks/{guid}", null);
        var tasks = await _fake.GetAsync($"/_fake/apps/{app.Guid}/tasks", null);
        var logs = await _fake.GetAsync($"/_fake/logs/{app.Guid}", null);
        var missing = await _fake.GetAsync($"/_fake/tasks/{Guid.NewGuid()}", null);

        var expected = _fake.State.GetTask(guid)!;
        Assert.Equal((guid, "greet", "echo hello", "SUCCEEDED", 64, 1, expected.CreatedAtNs),
            (task.Body["guid"]!.GetValue<string>(), task.Body["name"]!.GetValue<string>(), task.Body["command"]!.GetValue<string>(),
             task.Body["state"]!.GetValue<string>(), task.Body["memoryInMb"]!.GetValue<int>(), task.Body["sequenceId"]!.GetValue<int>(),
             task.Body["createdAtNs"]!.GetValue<long>()));
        Assert.Equal([guid], tasks.Body.AsArray().Select(t => t!["guid"]!.GetValue<string>()));
        Assert.Equal(_fake.State.LogsOf(app.Guid).Select(e => e.Message), logs.Body.AsArray().Select(e => e!["message"]!.GetValue<string>()));
        Assert.Contains("hello", logs.Body.AsArray().Select(e => e!["message"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task The_read_controls_show_a_tasks_droplet_and_metadata_and_find_apps_by_space_and_name()
    {
        var token = await _fake.LoginAsync();
        var app = _fake.App();
        var started = await _fake.StartTaskAsync(token, app,
            new { command = "echo hi", metadata = new { labels = new { build = "4711" }, annotations = new { note = "first" } } });
        var guid = started.Body["guid"]!.GetValue<string>();

        var task = await _fake.GetAsync($"/_fake/tasks/{guid}", null);
        var found = await _fake.GetAsync("/_fake/apps?space=demo-space&name=training-app", null);
        var missing = await _fake.GetAsync("/_fake/apps?space=demo-space&name=no-such-app", null);

        Assert.Equal(_fake.State.GetTask(guid)!.DropletGuid, task.Body["dropletGuid"]!.GetValue<string>());
        Assert.Equal(("4711", "first"),
            (task.Body["metadata"]!["labels"]!["build"]!.GetValue<string>(), task.Body["metadata"]!["annotations"]!["note"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.OK, app.Guid, "training-app"), (found.Status, found.Body["guid"]!.GetValue<string>(), found.Body["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task The_HTTP_controls_drive_the_same_state()
    {
        var created = await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/apps", null,
            new { space = "demo-space", name = "x", state = "STARTED", droplet = true, taskProcess = new { command = "bin/x", memoryInMb = 64, diskInMb = 256 } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var guid = created.Body["guid"]!.GetValue<string>();
        Assert.Equal("bin/x", _fake.State.FindApp("demo-space", "x")!.FindProcess("task")!.Command);

        var bulk = await _fake.SendJsonAsync(HttpMethod.Post, $"/_fake/apps/{guid}/tasks/bulk", null, new { count = 10, state = "FAILED", namePrefix = "job", command = "bin/job" });
        Assert.Equal(10, bulk.Body["count"]!.GetValue<int>());
        Assert.Equal("job-10", _fake.State.TasksOf(guid)[9].Name);

        await _fake.SendJsonAsync(HttpMethod.Post, $"/_fake/apps/{guid}/logs/bulk", null, new { count = 5, sourceType = "APP/TASK/big", intervalNano = 1000 });
        await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/logs", null, new { sourceId = guid, envelopes = new[] { new { sourceType = "RTR", message = "hi" } } });
        Assert.Equal(6, _fake.State.LogsOf(guid).Count);

        var before = _fake.State.NowUnixNano;
        var clock = await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/clock", null, new { advanceSeconds = 3600 });
        Assert.True(clock.Body["nowUnixNano"]!.GetValue<long>() - before >= 3600L * 1_000_000_000);

        var issued = await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/tokens", null, new { user = "developer" });
        var token = issued.Body["accessToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/apps", token)).Status);
        await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/tokens/expire", null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _fake.GetAsync("/v3/apps", token)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/faults", null, new { method = "GET", path = "^/v3/info$", action = "status", status = 503, count = 1 })).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _fake.GetAsync("/v3/info", null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/faults", null, new { path = "x", action = "explode" })).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/reset", null, null)).Status);
        Assert.Null(_fake.State.FindApp("demo-space", "x"));
        Assert.Empty(_fake.State.TasksOf(_fake.App().Guid));
        Assert.Equal(HttpStatusCode.NotFound, (await _fake.GetAsync("/_fake/nothing", null)).Status);
    }

    [Fact]
    public async Task Unknown_routes_answer_like_CC()
    {
        var reply = await _fake.GetAsync("/v3/nothing-here", null);
        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal(10000, reply.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _fake.SendJsonAsync(HttpMethod.Delete, "/v3/tasks/x", null, null)).Status);
    }

    [Fact]
    public async Task Bulk_seeding_100000_tasks_and_log_lines_is_quick_and_pages_of_5000_come_back()
    {
        var app = _fake.App();
        var stopwatch = Stopwatch.StartNew();
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 100_000, State = "SUCCEEDED" });
        var tasksTook = stopwatch.Elapsed;
        stopwatch.Restart();
        _fake.State.BulkLogs(app.Guid, new BulkLogSpec { Count = 100_000, SourceType = "APP/TASK/big", IntervalNano = 1000 });
        var logsTook = stopwatch.Elapsed;

        var token = await _fake.LoginAsync();
        await _fake.GetAsync($"/v3/apps/{app.Guid}/tasks?per_page=5000&page=2", token);
        stopwatch.Restart();
        var page = await _fake.GetAsync($"/v3/tasks?per_page=5000&page=20", token);
        var pageTook = stopwatch.Elapsed;
        stopwatch.Restart();
        var logs = await _fake.GetAsync($"/log-cache/api/v1/read/{app.Guid}?limit=1000&descending=true", token);
        var logsReadTook = stopwatch.Elapsed;

        output.WriteLine($"100k tasks {tasksTook.TotalMilliseconds:F0} ms, 100k logs {logsTook.TotalMilliseconds:F0} ms, " +
                         $"5000-task page {pageTook.TotalMilliseconds:F0} ms ({page.Text.Length / 1024} KiB), 1000 envelopes {logsReadTook.TotalMilliseconds:F0} ms");
        Assert.Equal(5000, page.Body["resources"]!.AsArray().Count);
        Assert.Equal(100_000, page.Body["pagination"]!["total_results"]!.GetValue<int>());
        Assert.Null(page.Body["pagination"]!["next"]);
        Assert.Equal(1000, logs.Body["envelopes"]!["batch"]!.AsArray().Count);
    }
}
