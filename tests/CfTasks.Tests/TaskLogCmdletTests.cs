using System.Globalization;
using CfTasks.Tests.Infrastructure;
using FakeCloudFoundry.State;
using FakeCloudFoundry.Tasks;

namespace CfTasks.Tests;

/// <summary>Get-CfTaskLog and Start-CfTask -Follow as a user runs them.</summary>
public sealed class TaskLogCmdletTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public TaskLogCmdletTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
        _ps.Connect(_fixture.Api);
    }

    public void Dispose() => _ps.Dispose();

    private FakeState State => _fixture.Fake.State;

    [Fact]
    public void A_piped_task_gives_its_own_lines_as_log_entries()
    {
        Start("billing-worker", "migrate", "echo Running migrations; echo WARNING: slow >&2; echo Migrated 3 tables");
        Start("billing-worker", "other", "echo not mine");
        State.AdvanceClock(TimeSpan.FromSeconds(10));

        var result = _ps.Run("Get-CfTask -AppName billing-worker -Name migrate | Get-CfTaskLog");

        Assert.Null(result.FirstError);
        var entries = result.As<CfLogEntry>();
        Assert.Equal(["Running migrations", "WARNING: slow", "Migrated 3 tables", "Exit status 0"], entries.Select(e => e.Message));
        Assert.Equal(["OUT", "ERR", "OUT", "OUT"], entries.Select(e => e.Stream));
        Assert.All(entries, e => Assert.Equal("APP/TASK/migrate", e.SourceType));
        Assert.All(entries, e => Assert.Equal("migrate", e.TaskName));
    }

    [Fact]
    public void Raw_lines_match_the_cf_cli_layout_byte_for_byte()
    {
        var task = Start("billing-worker", "raw", "sleep 20");
        var created = State.GetTask(task)!.CreatedAtNs;
        var app = State.FindApp("demo-space", "billing-worker")!.Guid;
        // Fixed offsets with digits past the hundredths, so truncation (not rounding) shows.
        var first = created + 2_000_000_000L + 987_654_321L;
        var second = created + 3_000_000_000L + 5_999_999L;
        State.AddLogs(app,
        [
            new LogLineSpec { TimestampUnixNano = first, SourceType = "APP/TASK/raw", Type = "OUT", Message = "PATH=/usr/bin\n" },
            new LogLineSpec { TimestampUnixNano = second, SourceType = "APP/TASK/raw", Type = "ERR", Message = "line one\nline two ✓" },
        ]);
        State.AdvanceClock(TimeSpan.FromSeconds(30));

        var result = _ps.Run("Get-CfTask -AppName billing-worker -Name raw | Get-CfTaskLog -Raw");

        Assert.Null(result.FirstError);
        var lines = result.Output.Select(o => Assert.IsType<string>(o.BaseObject)).ToList();
        Assert.Equal(
        [
            $"{CfTime(first)} [APP/TASK/raw/0] OUT PATH=/usr/bin",
            $"{CfTime(second)} [APP/TASK/raw/0] ERR line one",
            $"{CfTime(second)} [APP/TASK/raw/0] ERR line two ✓",
            lines[^1],
        ], lines);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\d\+0000 \[APP/TASK/raw/0\] OUT Exit status 0$", lines[^1]);
    }

    [Fact]
    public void The_default_view_prints_each_entry_as_the_cf_cli_line()
    {
        Start("billing-worker", "view", "echo hello; echo world");
        State.AdvanceClock(TimeSpan.FromSeconds(10));

        var raw = _ps.Run("Get-CfTask -AppName billing-worker -Name view | Get-CfTaskLog -Raw").Output.Select(o => (string)o.BaseObject).ToList();
        var shown = _ps.Run("Get-CfTask -AppName billing-worker -Name view | Get-CfTaskLog | Out-String -Width 500");

        var text = Assert.Single(shown.Output).BaseObject as string;
        var printed = text!.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        Assert.Equal(raw, printed);
        Assert.Equal(3, raw.Count);
    }

    [Fact]
    public void Redact_hides_the_secrets_of_a_printenv_task_in_objects_and_raw_lines()
    {
        Start("billing-api", "printenv", "printenv");
        State.AdvanceClock(TimeSpan.FromSeconds(10));

        var plain = _ps.Run("Get-CfTask -AppName billing-api -Name printenv | Get-CfTaskLog -Raw");
        var raw = _ps.Run("Get-CfTask -AppName billing-api -Name printenv | Get-CfTaskLog -Raw -Redact");
        var objects = _ps.Run("Get-CfTask -AppName billing-api -Name printenv | Get-CfTaskLog -Redact");

        Assert.Contains(EnvironmentDump.DatabasePassword, plain.AllText());
        foreach (var result in new[] { raw, objects })
        {
            Assert.Null(result.FirstError);
            var text = string.Join('\n', result.Output.Select(o => o.BaseObject is CfLogEntry e ? e.Message : o.ToString()));
            foreach (var secret in new[] { EnvironmentDump.DatabasePassword, EnvironmentDump.ApiToken, EnvironmentDump.AwsSecretAccessKey, EnvironmentDump.ServicePassword })
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.Contains("PATH=/usr/local/bin:/usr/bin:/bin", text);
            Assert.Contains("HOME=/home/vcap/app", text);
            Assert.Contains("DATABASE_PASSWORD=[REDACTED]", text);
        }
        Assert.Equal(plain.Output.Count, raw.Output.Count);
    }

    [Fact]
    public void AppName_reads_every_task_line_of_the_app_and_TaskName_narrows_it()
    {
        Start("billing-reports", "daily", "echo d1");
        Start("billing-reports", "weekly", "echo w1");
        State.AdvanceClock(TimeSpan.FromSeconds(10));
        Start("billing-reports", "daily", "echo d2");
        State.AdvanceClock(TimeSpan.FromSeconds(10));

        var all = _ps.Run("Get-CfTaskLog -AppName billing-reports").As<CfLogEntry>();
        var daily = _ps.Run("Get-CfTaskLog billing-reports daily").As<CfLogEntry>();
        var last = _ps.Run("Get-CfTaskLog billing-reports daily -Tail 2").As<CfLogEntry>();

        Assert.Equal(6, all.Count);
        Assert.Equal(["d1", "Exit status 0", "d2", "Exit status 0"], daily.Select(e => e.Message));
        Assert.Equal(["d2", "Exit status 0"], last.Select(e => e.Message));
    }

    [Fact]
    public void An_unknown_app_is_a_clear_error()
    {
        var result = _ps.Run("Get-CfTaskLog -AppName no-such-app");

        Assert.Equal("CfAppNotFound,CfTasks.Commands.GetCfTaskLogCommand", result.FirstError?.FullyQualifiedErrorId);
    }

    [Fact]
    public void Follow_on_a_piped_task_ends_when_the_task_has_finished()
    {
        State.SetClockSpeed(10);
        _ps.Run("$t = Start-CfTask -AppName billing-worker -Name follow -Command 'lines 300; sleep 3; lines 200'");

        var result = _ps.Run("$t | Get-CfTaskLog -Follow");

        Assert.Null(result.FirstError);
        var expected = Enumerable.Range(1, 300).Concat(Enumerable.Range(1, 200)).Select(i => $"line {i}").Append("Exit status 0");
        Assert.Equal(expected, result.As<CfLogEntry>().Select(e => e.Message));
    }

    [Fact]
    public async Task Follow_stops_on_ctrl_c()
    {
        Start("billing-worker", "endless", "sleep 100000");

        await _ps.RunAndStopAsync("Get-CfTask -AppName billing-worker -Name endless | Get-CfTaskLog -Follow",
            () => State.Requests().Count(r => r.Path.Contains("/log-cache/", StringComparison.Ordinal)) >= 3);

        var before = State.Requests().Count(r => r.Path.Contains("/log-cache/", StringComparison.Ordinal));
        await Task.Delay(600);
        var after = State.Requests().Count(r => r.Path.Contains("/log-cache/", StringComparison.Ordinal));
        Assert.True(before > 0);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_followed_line_reaches_the_pipeline_while_the_task_still_runs()
    {
        Start("billing-worker", "chatty", "echo first; sleep 100000");

        // The task never ends: only a line written as soon as it is read lets Select-Object -First 1 finish (a line held
        // back until more lines came, or until the task ended, never would).
        var run = Task.Run(() => _ps.Run("Get-CfTask -AppName billing-worker -Name chatty | Get-CfTaskLog -Follow | Select-Object -First 1"));
        var first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(run, first);
        var result = await run;
        Assert.Null(result.FirstError);
        Assert.Equal("first", Assert.Single(result.As<CfLogEntry>()).Message);
    }

    [Fact]
    public void Start_CfTask_Follow_shows_the_lines_on_the_information_stream_then_emits_the_final_task()
    {
        State.SetClockSpeed(10);

        var result = _ps.Run("Start-CfTask -AppName billing-worker -Name live -Command 'echo step 1; sleep 2; echo step 2 >&2' -Follow");

        Assert.Null(result.FirstError);
        var task = Assert.Single(result.As<CfTask>());
        Assert.Equal(CfTaskState.Succeeded, task.State);
        Assert.Equal(3, result.Information.Count);
        Assert.EndsWith("[APP/TASK/live/0] OUT step 1", result.Information[0]);
        Assert.EndsWith("[APP/TASK/live/0] ERR step 2", result.Information[1]);
        Assert.EndsWith("[APP/TASK/live/0] OUT Exit status 0", result.Information[2]);
    }

    [Fact]
    public void Start_CfTask_Follow_of_a_failing_task_shows_its_lines_and_fails_the_script()
    {
        State.SetClockSpeed(10);

        var result = _ps.Run("Start-CfTask -AppName billing-worker -Name broken -Command 'echo boom >&2; exit 4' -Follow");

        Assert.Equal("CfTaskFailed,CfTasks.Commands.StartCfTaskCommand", result.FirstError?.FullyQualifiedErrorId);
        Assert.Contains("Exited with status 4", result.FirstError!.Exception.Message);
        Assert.Contains(result.Information, l => l.EndsWith("ERR boom", StringComparison.Ordinal));
        Assert.Contains(result.Information, l => l.EndsWith("OUT Exit status 4", StringComparison.Ordinal));
    }

    // ----- helpers -----

    /// <summary>Starts a task through the CC API as the developer would; returns its guid.</summary>
    private string Start(string app, string name, string command)
    {
        var result = _ps.Run("(Start-CfTask -AppName $app -Name $name -Command $command).Guid",
            new Dictionary<string, object?> { ["app"] = app, ["name"] = name, ["command"] = command });
        Assert.Null(result.FirstError);
        return (string)Assert.Single(result.Output).BaseObject;
    }

    /// <summary>The cf CLI's time layout, computed here from the nanoseconds: UTC, two fractional digits truncated, +0000.</summary>
    private static string CfTime(long unixNs)
    {
        var seconds = Math.DivRem(unixNs, 1_000_000_000L, out var nanos);
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"{time.Year:0000}-{time.Month:00}-{time.Day:00}T{time.Hour:00}:{time.Minute:00}:{time.Second:00}.{nanos / 10_000_000:00}+0000");
    }
}
