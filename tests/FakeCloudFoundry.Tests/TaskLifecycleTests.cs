using System.Net;
using System.Text.Json.Nodes;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Tests;

public sealed class TaskLifecycleTests : IAsyncLifetime
{
    private FakeSession _fake = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _fake = await FakeSession.StartAsync();
        _token = await _fake.LoginAsync();
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_task_runs_its_script_on_the_fake_clock_and_fails_with_the_diego_reason()
    {
        var created = await _fake.StartTaskAsync(_token, _fake.App(), new { command = "echo hi; sleep 10; exit 3", name = "migrate" });
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        Assert.Equal("RUNNING", created.Body["state"]!.GetValue<string>());
        var guid = created.Body["guid"]!.GetValue<string>();

        _fake.State.AdvanceClock(TimeSpan.FromSeconds(5));
        Assert.Equal("RUNNING", await StateOf(guid));
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(6));
        var task = (await _fake.GetAsync($"/v3/tasks/{guid}", _token)).Body;
        Assert.Equal("FAILED", task["state"]!.GetValue<string>());
        Assert.Equal("APP/TASK/migrate: Exited with status 3", task["result"]!["failure_reason"]!.GetValue<string>());
        Assert.True(string.CompareOrdinal(task["updated_at"]!.GetValue<string>(), task["created_at"]!.GetValue<string>()) > 0);
    }

    [Fact]
    public async Task A_command_the_script_does_not_know_takes_the_default_duration_and_succeeds()
    {
        var guid = (await _fake.StartTaskAsync(_token, _fake.App(), new { command = "bundle exec rake db:migrate" })).Body["guid"]!.GetValue<string>();
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(1));
        Assert.Equal("RUNNING", await StateOf(guid));
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(2));
        Assert.Equal("SUCCEEDED", await StateOf(guid));
        Assert.Null(_fake.State.GetTask(guid)!.FailureReason);
    }

    [Fact]
    public async Task A_fast_clock_finishes_a_long_sleep_in_real_milliseconds()
    {
        _fake.State.SetClockSpeed(100);
        var guid = (await _fake.StartTaskAsync(_token, _fake.App(), new { command = "sleep 30; echo done" })).Body["guid"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await StateOf(guid) != "SUCCEEDED" && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal("SUCCEEDED", await StateOf(guid));
    }

    [Theory]
    [InlineData("POST", "/actions/cancel")]
    [InlineData("PUT", "/cancel")]
    public async Task Cancel_answers_CANCELING_then_the_task_fails_as_cancelled(string method, string suffix)
    {
        var guid = (await _fake.StartTaskAsync(_token, _fake.App(), new { command = "sleep 60", name = "long" })).Body["guid"]!.GetValue<string>();
        var cancel = await _fake.SendJsonAsync(new HttpMethod(method), $"/v3/tasks/{guid}{suffix}", _token, null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);
        Assert.Equal("CANCELING", cancel.Body["state"]!.GetValue<string>());
        Assert.Equal("sleep 60", cancel.Body["command"]!.GetValue<string>());

        var again = await _fake.SendJsonAsync(new HttpMethod(method), $"/v3/tasks/{guid}{suffix}", _token, null);
        Assert.Equal(HttpStatusCode.Accepted, again.Status);

        _fake.State.AdvanceClock(TimeSpan.FromSeconds(1));
        var task = (await _fake.GetAsync($"/v3/tasks/{guid}", _token)).Body;
        Assert.Equal("FAILED", task["state"]!.GetValue<string>());
        Assert.Equal("task was cancelled", task["result"]!["failure_reason"]!.GetValue<string>());

        var late = await _fake.SendJsonAsync(new HttpMethod(method), $"/v3/tasks/{guid}{suffix}", _token, null);
        Assert.Equal((HttpStatusCode)422, late.Status);
        Assert.Equal("Task state is FAILED and therefore cannot be canceled", late.ErrorDetail);
    }

    [Fact]
    public async Task Cancelling_a_succeeded_task_is_unprocessable()
    {
        var guid = (await _fake.StartTaskAsync(_token, _fake.App(), new { command = "echo quick" })).Body["guid"]!.GetValue<string>();
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(2));
        var reply = await _fake.SendJsonAsync(HttpMethod.Put, $"/v3/tasks/{guid}/cancel", _token, null);
        Assert.Equal((HttpStatusCode)422, reply.Status);
        Assert.Equal(10008, reply.ErrorCode);
        Assert.Equal("Task state is SUCCEEDED and therefore cannot be canceled", reply.ErrorDetail);
    }

    [Fact]
    public async Task Defaults_come_from_the_template_process_or_the_operator()
    {
        var app = _fake.App();
        var taskProcess = app.FindProcess("task")!;
        var templated = await _fake.StartTaskAsync(_token, app, new { template = new { process = new { guid = taskProcess.Guid } } });
        Assert.Equal(HttpStatusCode.Accepted, templated.Status);
        Assert.Equal("tasks/default.sh", templated.Body["command"]!.GetValue<string>());
        Assert.Equal(128, templated.Body["memory_in_mb"]!.GetValue<int>());
        Assert.Equal(512, templated.Body["disk_in_mb"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{8}$", templated.Body["name"]!.GetValue<string>());

        var plain = await _fake.StartTaskAsync(_token, app, new { command = "echo x", memory_in_mb = 256 });
        Assert.Equal(256, plain.Body["memory_in_mb"]!.GetValue<int>());
        Assert.Equal(1024, plain.Body["disk_in_mb"]!.GetValue<int>());
        Assert.Equal(-1, plain.Body["log_rate_limit_in_bytes_per_second"]!.GetValue<long>());
        Assert.Equal(app.DropletGuid, plain.Body["droplet_guid"]!.GetValue<string>());
        Assert.Equal(2, plain.Body["sequence_id"]!.GetValue<int>());

        var otherApp = await _fake.StartTaskAsync(_token, _fake.App("billing-api"), new { command = "echo x" });
        Assert.Equal(1, otherApp.Body["sequence_id"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"command":"echo","foo":1,"log_rate_limit_per_second":5}""", "Unknown field(s): 'foo', 'log_rate_limit_per_second'")]
    [InlineData("""{"command":"echo","disk_in_mb":4096}""", "Cannot request disk_in_mb greater than 2048")]
    [InlineData("""{"command":"echo","memory_in_mb":0}""", "Memory in mb must be greater than 0")]
    [InlineData("""{"name":"nothing-to-run"}""", "Command No command or template provided")]
    public async Task Invalid_create_bodies_are_unprocessable(string body, string detail)
    {
        var reply = await _fake.StartTaskAsync(_token, _fake.App(), body);
        Assert.Equal((HttpStatusCode)422, reply.Status);
        Assert.Equal(detail, reply.ErrorDetail);
        Assert.Empty(_fake.State.TasksOf(_fake.App().Guid));
    }

    [Fact]
    public async Task Other_create_failures_use_the_reference_errors()
    {
        var tooLong = await _fake.StartTaskAsync(_token, _fake.App(), new { command = new string('x', 4097) });
        Assert.Equal("command must be shorter than 4097 characters", tooLong.ErrorDetail);

        var unstaged = await _fake.StartTaskAsync(_token, _fake.App("unstaged-app"), new { command = "echo" });
        Assert.Equal((HttpStatusCode)422, unstaged.Status);
        Assert.Equal("Task must have a droplet. Specify droplet or assign current droplet to app.", unstaged.ErrorDetail);

        var notJson = await _fake.StartTaskAsync(_token, _fake.App(), "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Equal(1001, notJson.ErrorCode);

        var badTemplate = await _fake.StartTaskAsync(_token, _fake.App(), new { template = new { process = new { guid = "nope" } } });
        Assert.Equal(HttpStatusCode.NotFound, badTemplate.Status);
        Assert.Equal(350003, badTemplate.ErrorCode);

        var unknownApp = await _fake.SendJsonAsync(HttpMethod.Post, "/v3/apps/nope/tasks", _token, new { command = "echo" });
        Assert.Equal("App not found", unknownApp.ErrorDetail);
    }

    [Fact]
    public async Task Eight_parallel_starts_get_distinct_sequence_ids()
    {
        var app = _fake.App();
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _fake.StartTaskAsync(_token, app, new { command = $"echo {i}" })));
        Assert.All(replies, r => Assert.Equal(HttpStatusCode.Accepted, r.Status));
        Assert.Equal(Enumerable.Range(1, 8), replies.Select(r => r.Body["sequence_id"]!.GetValue<int>()).Order());
    }

    [Fact]
    public async Task Metadata_can_be_patched_and_a_null_removes_a_label()
    {
        var guid = (await _fake.StartTaskAsync(_token, _fake.App(), new { command = "echo", metadata = new { labels = new { env = "prod", team = "a" } } })).Body["guid"]!.GetValue<string>();
        var patched = await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{guid}", _token, """{"metadata":{"labels":{"team":null},"annotations":{"note":"x"}}}""");
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("""{"env":"prod"}""", patched.Body["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("x", patched.Body["metadata"]!["annotations"]!["note"]!.GetValue<string>());
        var rejected = await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{guid}", _token, """{"name":"x"}""");
        Assert.Equal((HttpStatusCode)422, rejected.Status);
    }

    private async Task<string> StateOf(string guid) => (await _fake.GetAsync($"/v3/tasks/{guid}", _token)).Body["state"]!.GetValue<string>();
}
