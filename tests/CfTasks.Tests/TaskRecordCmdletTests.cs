using System.Globalization;
using System.Web;
using CfTasks.Tests.Infrastructure;
using FakeCloudFoundry.State;

namespace CfTasks.Tests;

/// <summary>
/// Tasks as records, as a user runs them: label and annotate runs, pin their droplet, find them again by label, time
/// and scope, read how they ended, and follow a log that has every line.
/// </summary>
public sealed class TaskRecordCmdletTests(FakeFixture fixture) : ConnectedCmdletTests(fixture)
{
    private ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
        Ps.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

    // ------------------------------------------------------------------ labels and annotations

    [Fact]
    public void A_run_labelled_with_the_build_id_is_found_again_by_label_selector()
    {
        var started = Run(
            "$env:BUILD_BUILDID = '4711'; " +
            "Start-CfTask training-app -Name migrate -Command 'echo m' -Label @{ build = $env:BUILD_BUILDID; stage = 'deploy' } " +
            "  -Annotation @{ 'ci.example.com/run' = 'https://dev.azure.com/o/p/_build/results?buildId=4711' } | Out-Null; " +
            "Start-CfTask billing-api -Name migrate -Command 'echo m' -Label @{ build = 4712 } | Out-Null; " +
            "Get-CfTask -LabelSelector \"build=$env:BUILD_BUILDID\"");

        AssertNoErrors(started);
        var task = Assert.Single(started.As<CfTask>());
        Assert.Equal(("training-app", "4711", "deploy"), (task.AppName, task.Labels["build"], task.Labels["stage"]));
        Assert.Equal("https://dev.azure.com/o/p/_build/results?buildId=4711", task.Annotations["ci.example.com/run"]);
        Assert.Equal("4712", State.TasksOf(AppGuid("billing-api")).Single().Metadata.Labels["build"]); // a number is its text
        var list = Requests("GET", "/v3/tasks").Last();
        Assert.Contains("label_selector=build=4711", HttpUtility.UrlDecode(list.Query), StringComparison.Ordinal);
    }

    [Fact]
    public void Set_CfTask_changes_labels_of_piped_tasks_by_id_and_by_guid_and_passthru_emits_them()
    {
        var guid = Run("(Start-CfTask training-app -Name a -Command 'sleep 60' -Label @{ temp = 'yes'; keep = 'x' }).Guid").Output.Single().BaseObject.ToString()!;
        Run("Start-CfTask training-app -Name b -Command 'sleep 60' | Out-Null; Start-CfTask training-app -Name c -Command 'sleep 60' | Out-Null");
        State.ClearRequests();

        var piped = Run("Get-CfTask training-app -Name a | Set-CfTask -Label @{ temp = $null; reviewed = 'yes' } -Annotation @{ note = 'checked by ops' } -PassThru");
        var byId = Run("Set-CfTask training-app 2, 3 -Label @{ batch = '7' } -PassThru");
        var byGuid = Run("Set-CfTask -Guid $g -Label @{ keep = $null }", ("g", guid));

        AssertNoErrors(piped);
        var changed = Assert.Single(piped.As<CfTask>());
        Assert.Equal(("yes", "x", false), (changed.Labels["reviewed"], changed.Labels["keep"], changed.Labels.ContainsKey("temp")));
        Assert.Equal("checked by ops", changed.Annotations["note"]);
        Assert.Equal(["b", "c"], byId.As<CfTask>().Select(t => t.Name));
        Assert.All(byId.As<CfTask>(), t => Assert.Equal("7", t.Labels["batch"]));
        AssertNoErrors(byGuid);
        Assert.Empty(byGuid.Output); // without -PassThru nothing is written
        Assert.False(State.GetTask(guid)!.Metadata.Labels.ContainsKey("keep"));
        Assert.Equal(4, State.Requests().Count(r => r.Method == "PATCH"));
    }

    [Fact]
    public void Set_CfTask_WhatIf_sends_nothing()
    {
        Run("Start-CfTask training-app -Name a -Command 'sleep 60' | Out-Null");
        State.ClearRequests();

        var result = Run("Get-CfTask training-app | Set-CfTask -Label @{ keep = 'yes'; temp = $null } -WhatIf");

        AssertNoErrors(result);
        Assert.DoesNotContain(State.Requests(), r => r.Method == "PATCH");
        Assert.False(State.TasksOf(AppGuid("training-app")).Single().Metadata.Labels.ContainsKey("keep"));
    }

    [Fact]
    public void A_label_breaking_ccs_rules_is_a_parameter_error_naming_the_key_and_nothing_is_sent()
    {
        var result = Run("Start-CfTask training-app -Command x -Label @{ 'Build ID' = '1' }");

        var error = Assert.IsType<System.Management.Automation.ErrorRecord>(result.FirstError);
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("'Build ID'", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(State.Requests(), r => r.Path.StartsWith("/v3/", StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ the droplet

    [Fact]
    public void Start_CfTask_Droplet_runs_the_task_on_that_droplet()
    {
        var older = State.AddDroplet(AppGuid("training-app"), new DropletSpec());

        var result = Run("Start-CfTask training-app -Command 'echo hi' -Droplet $d", ("d", older.Guid));

        AssertNoErrors(result);
        Assert.Equal(older.Guid, Assert.Single(result.As<CfTask>()).DropletGuid);
        Assert.Equal(older.Guid, State.TasksOf(AppGuid("training-app")).Single().DropletGuid);
    }

    // ------------------------------------------------------------------ finding them again

    [Fact]
    public void Created_after_and_before_take_local_times_and_send_whole_utc_seconds()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 10, NamePrefix = "t" });
        var third = State.TasksOf(AppGuid("training-app"))[2];
        var eighth = State.TasksOf(AppGuid("training-app"))[7];
        var thirdAt = DateTimeOffset.FromUnixTimeSeconds(third.CreatedAtNs / 1_000_000_000);
        var eighthAt = DateTimeOffset.FromUnixTimeSeconds(eighth.CreatedAtNs / 1_000_000_000);
        State.ClearRequests();

        // [datetime] values of the session's local zone, half a second into each task's second, as Get-Date gives them.
        var result = Run("Get-CfTask training-app -CreatedAfter $after.LocalDateTime -CreatedBefore $before.LocalDateTime",
            ("after", thirdAt.AddMilliseconds(500)), ("before", eighthAt.AddMilliseconds(500)));

        AssertNoErrors(result);
        Assert.Equal(["t-8", "t-7", "t-6", "t-5", "t-4"], result.As<CfTask>().Select(t => t.Name));
        var query = HttpUtility.UrlDecode(Requests("GET", $"/v3/apps/{AppGuid("training-app")}/tasks").Single().Query);
        Assert.Contains($"created_ats[gt]={thirdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}", query, StringComparison.Ordinal);
        Assert.Contains($"created_ats[lt]={eighthAt.AddSeconds(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}", query, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_space_an_organization_and_all_spaces_are_listed_without_retargeting()
    {
        State.BulkTasks(AppGuid("billing-api"), new BulkTaskSpec { Count = 2, NamePrefix = "here", State = "FAILED" });
        State.BulkTasks(AppGuid("training-app", "other-space"), new BulkTaskSpec { Count = 3, NamePrefix = "there", State = "FAILED" });

        var other = Run("Get-CfTask -Space other-space");
        var org = Run("Get-CfTask -Organization demo-org -State Failed");
        var all = Run("Get-CfTask -AllSpaces -Name there-1");
        var target = Run("(Get-CfTarget).Space");

        AssertNoErrors(other);
        Assert.Equal(Enumerable.Repeat<(string?, string?, string?)>(("training-app", "other-space", "demo-org"), 3),
            other.As<CfTask>().Select(t => (t.AppName, t.SpaceName, t.OrganizationName)));
        Assert.Equal(5, org.As<CfTask>().Count);
        Assert.Equal(["there-1"], all.As<CfTask>().Select(t => t.Name));
        Assert.Equal("demo-space", target.Output.Single().BaseObject);
    }

    [Fact]
    public void Failed_tasks_of_a_whole_organization_in_the_last_24_hours_export_to_csv_with_exit_code_and_duration()
    {
        State.BulkTasks(AppGuid("billing-api"), new BulkTaskSpec { Count = 2, NamePrefix = "nightly", State = "FAILED" });
        State.BulkTasks(AppGuid("training-app", "other-space"), new BulkTaskSpec { Count = 1, NamePrefix = "report", State = "FAILED" });
        State.BulkTasks(AppGuid("billing-worker"), new BulkTaskSpec { Count = 3, NamePrefix = "ok", State = "SUCCEEDED" });
        var csv = Path.Combine(Path.GetTempPath(), $"cftasks-{Guid.NewGuid():N}.csv");
        try
        {
            var result = Run(
                "Get-CfTask -Organization demo-org -State Failed -CreatedAfter (Get-Date).AddHours(-24) | " +
                "  Export-Csv -LiteralPath $csv -NoTypeInformation; Import-Csv -LiteralPath $csv", ("csv", csv));

            AssertNoErrors(result);
            var rows = result.Output.Select(o => o.Properties.ToDictionary(p => p.Name, p => p.Value?.ToString())).ToList();
            Assert.Equal(3, rows.Count);
            Assert.All(rows, r => Assert.Equal(("1", "demo-org"), (r["ExitCode"], r["OrganizationName"])));
            Assert.Equal(["demo-space", "demo-space", "other-space"], rows.Select(r => r["SpaceName"]).Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Matches(@"^\d\d:\d\d:\d\d$", r["Duration"]));
            var query = HttpUtility.UrlDecode(Requests("GET", "/v3/tasks").Single().Query);
            Assert.Contains("organization_guids=", query, StringComparison.Ordinal);
            Assert.Contains("created_ats[gt]=", query, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void Exit_code_is_a_column_of_the_table_and_exit_code_and_duration_are_in_the_list()
    {
        State.BulkTasks(AppGuid("billing-api"), new BulkTaskSpec { Count = 1, NamePrefix = "broke", State = "FAILED" });

        var table = Run("Get-CfTask billing-api | Format-Table | Out-String -Width 200").Output.Single().BaseObject.ToString()!;
        var list = Run("Get-CfTask billing-api | Format-List | Out-String -Width 200").Output.Single().BaseObject.ToString()!;

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("ExitCode", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"broke-1\s+Failed\s+1\s+billing-api", table);
        Assert.Matches(@"ExitCode\s+: 1", list);
        Assert.Matches(@"Duration\s+: \d\d:\d\d:\d\d", list);
        Assert.Matches(@"SpaceName\s+: demo-space", list);
        Assert.Matches(@"OrganizationName\s+: demo-org", list);
    }

    // ------------------------------------------------------------------ a followed log is the whole log

    [Theory]
    [InlineData("$t = Start-CfTask billing-worker -Name late -Command $command; $t | Get-CfTaskLog -Follow | ForEach-Object Message")]
    [InlineData("Start-CfTask billing-worker -Name late -Command $command -Follow 6>&1 | Where-Object { $_ -isnot [CfTasks.CfTask] } | ForEach-Object { \"$_\" -replace '^.* OUT ', '' }")]
    public async Task A_followed_log_has_every_line_of_the_task_even_one_that_reached_log_cache_late(string script)
    {
        // "second" reaches log-cache 6 s after it was written, when the follow has read 3 s past it. The fake clock is all
        // but stopped and moved by hand, so the follow is past "second" before it arrives.
        State.SetClockSpeed(0.001);
        var running = Task.Run(() => Run(script, ("command", "echo first; late 6 second; sleep 3; echo third; sleep 8; echo fourth")));
        await WaitFor(() => State.TasksOf(AppGuid("billing-worker")).Count == 1);
        State.AdvanceClock(TimeSpan.FromSeconds(4));
        var first = State.LogsOf(AppGuid("billing-worker")).Single(e => e.Message == "first").TimestampNs;
        await WaitFor(() => State.Requests().Any(r => r.Path.StartsWith("/log-cache/api/v1/read/", StringComparison.Ordinal)
            && long.Parse(HttpUtility.ParseQueryString(r.Query).Get("start_time") ?? "0", CultureInfo.InvariantCulture) > first + 500_000_000));
        State.AdvanceClock(TimeSpan.FromSeconds(10));
        var followed = await running;
        var afterwards = Run("Get-CfTask billing-worker -Name late | Get-CfTaskLog | ForEach-Object Message");

        AssertNoErrors(followed);
        Assert.Equal(["first", "third", "fourth", "Exit status 0", "second"], followed.Output.Select(o => o.ToString()));
        Assert.Equal(afterwards.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal), followed.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal));
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 1500 && !condition(); i++) await Task.Delay(20);
        Assert.True(condition());
    }
}
