using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FakeCloudFoundry.State;
using FakeCloudFoundry.Tasks;

namespace FakeCloudFoundry.Tests;

public sealed class LogCacheTests : IAsyncLifetime
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
    public async Task Every_auth_failure_is_a_404_with_an_empty_body()
    {
        var app = _fake.App();
        var auditor = await _fake.LoginAsync("auditor");
        foreach (var (token, path) in new[]
                 {
                     ((string?)null, app.Guid),
                     ("garbage", app.Guid),
                     (auditor, _fake.App("training-app", "other-space").Guid),
                 })
        {
            var reply = await _fake.GetAsync($"/log-cache/api/v1/read/{path}", token);
            Assert.Equal(HttpStatusCode.NotFound, reply.Status);
            Assert.Equal("", reply.Text);
        }
        _fake.State.ExpireTokens();
        var expired = await _fake.GetAsync($"/log-cache/api/v1/read/{app.Guid}", _token);
        Assert.Equal(HttpStatusCode.NotFound, expired.Status);
        Assert.Equal("", expired.Text);
    }

    [Fact]
    public async Task A_limit_over_1000_is_a_grpc_gateway_error()
    {
        var reply = await _fake.GetAsync($"/log-cache/api/v1/read/{_fake.App().Guid}?limit=1001", _token);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("""{"code":3,"message":"limit (1001) must be 1000 or less"}""", reply.Body.ToJsonString());
    }

    [Fact]
    public async Task Start_is_inclusive_end_exclusive_descending_gives_the_newest_and_limit_defaults_to_100()
    {
        var app = _fake.App();
        const long start = 1_700_000_000_000_000_000;
        _fake.State.BulkLogs(app.Guid, new BulkLogSpec { Count = 100_000, SourceType = "APP/TASK/big", StartUnixNano = start, IntervalNano = 1000 });

        var window = await Read(app.Guid, $"start_time={start + 5000}&end_time={start + 10_000}");
        Assert.Equal(["line 6", "line 7", "line 8", "line 9", "line 10"], window.Select(e => e.Text));

        var newest = await Read(app.Guid, $"descending=true&limit=3&start_time={start}");
        Assert.Equal(["line 100000", "line 99999", "line 99998"], newest.Select(e => e.Text));

        Assert.Equal(100, (await Read(app.Guid, "")).Count);
        Assert.Equal(1000, (await Read(app.Guid, "limit=1000&envelope_types=LOG")).Count);
        Assert.Empty(await Read(app.Guid, "envelope_types=GAUGE"));
        Assert.Equal(10, (await Read(app.Guid, "envelope_types=GAUGE&envelope_types=LOG&limit=10")).Count);
        Assert.Equal("APP/TASK/big", window[0].SourceType);
    }

    [Fact]
    public async Task A_task_writes_CELL_lines_its_output_and_exit_status_with_distinct_nanosecond_timestamps()
    {
        var app = _fake.App();
        var created = await _fake.StartTaskAsync(_token, app, new { command = "echo one && echo two >&2; exit 0", name = "job" });
        var guid = created.Body["guid"]!.GetValue<string>();
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(3));

        var lines = await Read(app.Guid, "limit=1000");
        Assert.Equal(
            ["CELL OUT creating container", "CELL OUT successfully created container", "APP/TASK/job OUT one", "APP/TASK/job ERR two",
             "APP/TASK/job OUT Exit status 0", "CELL OUT stopping", "CELL OUT destroying container", "CELL OUT successfully destroyed container"],
            lines.Select(l => $"{l.SourceType} {l.Stream} {(l.SourceType == "CELL" ? CellAction(l.Text) : l.Text)}"));
        Assert.All(lines.Where(l => l.SourceType == "CELL"), l => Assert.EndsWith(guid, l.Text));
        var timestamps = lines.Select(l => l.Timestamp).ToList();
        Assert.Equal(timestamps.Order(), timestamps);
        Assert.Equal(timestamps.Count, timestamps.Distinct().Count());
        Assert.Contains(timestamps, t => t % 1_000_000 != 0);
        Assert.All(lines, l => Assert.Equal("0", l.InstanceId));
    }

    [Fact]
    public async Task Lines_appear_when_the_fake_clock_reaches_them()
    {
        var app = _fake.App();
        await _fake.StartTaskAsync(_token, app, new { command = "echo early; sleep 10; echo late", name = "slow" });
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(1));
        var before = (await Read(app.Guid, "limit=1000")).Select(l => l.Text).ToList();
        Assert.Contains("early", before);
        Assert.DoesNotContain("late", before);

        var farFuture = DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.DoesNotContain("late", (await Read(app.Guid, $"limit=1000&end_time={farFuture}")).Select(l => l.Text));

        _fake.State.AdvanceClock(TimeSpan.FromSeconds(10));
        Assert.Contains("late", (await Read(app.Guid, "limit=1000")).Select(l => l.Text));
    }

    [Fact]
    public async Task Cancelling_withdraws_unwritten_output_and_logs_the_container_teardown()
    {
        var app = _fake.App();
        var guid = (await _fake.StartTaskAsync(_token, app, new { command = "echo started; sleep 30; echo never", name = "cancelme" })).Body["guid"]!.GetValue<string>();
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(1));
        await _fake.SendJsonAsync(HttpMethod.Post, $"/v3/tasks/{guid}/actions/cancel", _token, null);
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(60));

        var lines = await Read(app.Guid, "limit=1000");
        Assert.Contains(lines, l => l.Text == "started");
        Assert.DoesNotContain(lines, l => l.Text == "never");
        Assert.Contains(lines, l => l.SourceType == "CELL" && l.Text.Contains("stopping instance " + guid));
        Assert.Contains(lines, l => l.SourceType == "CELL" && l.Text.Contains("destroying container for instance " + guid));
    }

    [Fact]
    public async Task Printenv_dumps_a_CF_environment_with_secret_looking_values()
    {
        var app = _fake.App();
        await _fake.StartTaskAsync(_token, app, new { command = "printenv", name = "env", memory_in_mb = 256 });
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(2));
        var text = (await Read(app.Guid, "limit=1000")).Where(l => l.SourceType == "APP/TASK/env").Select(l => l.Text).ToList();
        Assert.Contains("MEMORY_LIMIT=256m", text);
        Assert.Contains("HOME=/home/vcap/app", text);
        Assert.Contains($"DATABASE_PASSWORD={EnvironmentDump.DatabasePassword}", text);
        Assert.Contains($"API_TOKEN={EnvironmentDump.ApiToken}", text);
        Assert.Contains($"AWS_SECRET_ACCESS_KEY={EnvironmentDump.AwsSecretAccessKey}", text);
        var services = JsonNode.Parse(text.Single(t => t.StartsWith("VCAP_SERVICES=", StringComparison.Ordinal))["VCAP_SERVICES=".Length..])!;
        Assert.Equal(EnvironmentDump.ServicePassword, services["p.mysql"]![0]!["credentials"]!["password"]!.GetValue<string>());
        var application = JsonNode.Parse(text.Single(t => t.StartsWith("VCAP_APPLICATION=", StringComparison.Ordinal))["VCAP_APPLICATION=".Length..])!;
        Assert.Equal("training-app", application["application_name"]!.GetValue<string>());
        Assert.Equal("demo-space", application["space_name"]!.GetValue<string>());
        Assert.Equal(256, application["limits"]!["mem"]!.GetValue<int>());
    }

    [Fact]
    public async Task Added_lines_of_any_source_type_mix_with_task_lines()
    {
        var app = _fake.App();
        var now = _fake.State.NowUnixNano;
        _fake.State.AddLogs(app.Guid, [
            new LogLineSpec { TimestampUnixNano = now - 2000, SourceType = "APP/PROC/WEB", Message = "GET / 200" },
            new LogLineSpec { TimestampUnixNano = now - 1000, SourceType = "RTR", Type = "OUT", Message = "router line" },
        ]);
        var lines = await Read(app.Guid, "");
        Assert.Equal(["APP/PROC/WEB", "RTR"], lines.Select(l => l.SourceType));
    }

    [Fact]
    public async Task A_late_envelope_keeps_its_timestamp_but_is_only_delivered_after_its_delay()
    {
        var app = _fake.App();
        var t = _fake.State.NowUnixNano;
        var added = await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/logs", null, new
        {
            sourceId = app.Guid,
            envelopes = new object[]
            {
                new { timestampUnixNano = t, sourceType = "APP/TASK/job", message = "late line", visibleAfterSeconds = 3 },
                new { timestampUnixNano = t + 1_000_000, sourceType = "APP/TASK/job", message = "on time" },
            },
        });
        Assert.DoesNotContain("late line", (await Read(app.Guid, $"start_time={t}")).Select(e => e.Text));
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(1));

        // A follower that already moved past T (start_time = last seen + 1) would never see the late line...
        Assert.Empty(await Read(app.Guid, $"start_time={t + 1_000_001}"));
        Assert.Equal(["on time"], (await Read(app.Guid, $"start_time={t}")).Select(e => e.Text));
        Assert.Equal(["on time"], (await Read(app.Guid, "descending=true&limit=5")).Select(e => e.Text));

        // ...a re-read of the window after the delay finds it, at its original timestamp, before the newer line.
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(2.5));
        var window = await Read(app.Guid, $"start_time={t}");
        Assert.Equal(["late line", "on time"], window.Select(e => e.Text));
        Assert.Equal(t, window[0].Timestamp);
        Assert.Equal(2, added.Body["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_scripted_late_line_arrives_after_the_task_has_finished()
    {
        var app = _fake.App();
        var guid = (await _fake.StartTaskAsync(_token, app, new { command = "echo before; late 20 'written early, delivered late'; echo after", name = "latejob" }))
            .Body["guid"]!.GetValue<string>();
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(2));
        Assert.Equal("SUCCEEDED", _fake.State.GetTask(guid)!.State);
        Assert.Equal(["before", "after", "Exit status 0"], (await Read(app.Guid, "limit=1000")).Where(e => e.SourceType == "APP/TASK/latejob").Select(e => e.Text));

        _fake.State.AdvanceClock(TimeSpan.FromSeconds(20));
        var lines = (await Read(app.Guid, "limit=1000")).Where(e => e.SourceType == "APP/TASK/latejob").ToList();
        Assert.Equal(["before", "written early, delivered late", "after", "Exit status 0"], lines.Select(e => e.Text));
        Assert.True(lines[1].Timestamp < lines[2].Timestamp);
    }

    private static string CellAction(string text) =>
        System.Text.RegularExpressions.Regex.Match(text, "^Cell [0-9a-f-]{36} (.*?)( for)? instance [0-9a-f-]{36}$").Groups[1].Value;

    private async Task<List<Envelope>> Read(string sourceId, string query)
    {
        var reply = await _fake.GetAsync($"/log-cache/api/v1/read/{sourceId}?{query}", _token);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body["envelopes"]!["batch"]!.AsArray().Select(e => new Envelope(
            long.Parse(e!["timestamp"]!.GetValue<string>()),
            e["tags"]!["source_type"]!.GetValue<string>(),
            e["instance_id"]!.GetValue<string>(),
            e["log"]!["type"]!.GetValue<string>(),
            Encoding.UTF8.GetString(Convert.FromBase64String(e["log"]!["payload"]!.GetValue<string>())))).ToList();
    }

    private sealed record Envelope(long Timestamp, string SourceType, string InstanceId, string Stream, string Text);
}
