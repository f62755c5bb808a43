using System.Management.Automation;
using CfTasks.Tests.Infrastructure;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.State;

namespace CfTasks.Tests;

/// <summary>Get-CfApp, Start-CfTask, Get-CfTask, Stop-CfTask and Wait-CfTask as a user runs them, against the fake.</summary>
public sealed class TaskCmdletTests(FakeFixture fixture) : ConnectedCmdletTests(fixture)
{
    // ------------------------------------------------------------------ Start-CfTask

    [Fact]
    public void Seed_walkthrough_sends_memory_8_and_disk_64_and_emits_the_created_task()
    {
        var result = Ps.Run("Start-CfTask training-app -Name printenv -Command 'tasks/printenv.sh' -Memory 8M -Disk 64M");

        AssertNoErrors(result);
        var task = Assert.Single(result.As<CfTask>());
        var created = Assert.Single(State.TasksOf(AppGuid("training-app")));
        Assert.Equal((8, 64, "printenv", "tasks/printenv.sh"), (created.MemoryInMb, created.DiskInMb, created.Name, created.Command));
        Assert.Equal((created.Guid, CfTaskState.Running, "training-app", 8, 64), (task.Guid, task.State, task.AppName, task.MemoryInMb, task.DiskInMb));
    }

    [Fact]
    public void Cf_cli_aliases_and_units_bind_like_cf_run_task()
    {
        var result = Ps.Run("Start-CfTask training-app -c 'sleep 5' -m 1G -k 512 -l 1M");

        AssertNoErrors(result);
        var created = Assert.Single(State.TasksOf(AppGuid("training-app")));
        Assert.Equal((1024, 512, 1024L * 1024, "sleep 5"), (created.MemoryInMb, created.DiskInMb, created.LogRateLimitInBytesPerSecond, created.Command));
    }

    [Fact]
    public void The_os_user_is_sent_when_given_and_shown_on_the_task()
    {
        var result = Ps.Run("Start-CfTask training-app -Command x -User vcap; Start-CfTask training-app -Command y; Start-CfTask training-app -Command z -User root");

        var started = result.As<CfTask>();
        Assert.Equal(["vcap", "vcap"], started.Select(t => t.User)); // the second one has the template's user
        var rejected = Assert.Single(result.Errors);
        Assert.StartsWith("CfTaskRejected,", rejected.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("'root'", rejected.Exception.Message, StringComparison.Ordinal); // Cloud Controller's reason, passed on
        Assert.Equal("vcap", Ps.Run("Get-CfTask training-app -First 1").As<CfTask>().Single().User);
    }

    [Theory]
    [InlineData("-Memory 512MB -Disk 1GB", 512, 1024)]
    [InlineData("-Memory 1.5GB -Disk 2GB", 1536, 2048)]
    [InlineData("-Memory (256 * 1MB) -Disk 1024", 256, 1024)]
    [InlineData("-Memory '512MB' -Disk '1G'", 512, 1024)]
    public void PowerShell_byte_sizes_typed_without_quotes_are_bytes_not_megabytes(string arguments, int memoryInMb, int diskInMb)
    {
        var result = Ps.Run($"Start-CfTask training-app -Command x {arguments}");

        AssertNoErrors(result);
        var created = Assert.Single(State.TasksOf(AppGuid("training-app")));
        Assert.Equal((memoryInMb, diskInMb), (created.MemoryInMb, created.DiskInMb));
    }

    [Theory]
    [InlineData("-Memory (1MB + 1)")]
    [InlineData("-Memory 512KB")]
    [InlineData("-Disk 1048575")]
    [InlineData("-Memory 8X")]
    [InlineData("-Memory -1")]
    [InlineData("-Memory 1.5G")]
    [InlineData("-Memory 0")]
    [InlineData("-Disk 99999999999M")]
    [InlineData("-LogRateLimit 8X")]
    [InlineData("-LogRateLimit -2")]
    public void Bad_sizes_are_parameter_binding_errors_that_say_what_is_accepted_and_send_nothing(string argument)
    {
        var result = Ps.Run($"Start-CfTask training-app -Command x {argument}");

        var record = Assert.IsType<ErrorRecord>(result.FirstError);
        var error = Assert.IsAssignableFrom<ParameterBindingException>(record.Exception);
        Assert.StartsWith("ParameterArgumentTransformationError,", record.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Matches("M, MB, G|B, K, KB", error.Message);
        Assert.Empty(State.TasksOf(AppGuid("training-app")));
        Assert.DoesNotContain(State.Requests(), r => r.Method == "POST");
    }

    [Fact]
    public void Without_command_the_task_process_is_the_template_and_process_picks_another()
    {
        var result = Ps.Run("Start-CfTask training-app; Start-CfTask training-app -Process web");

        AssertNoErrors(result);
        var tasks = result.As<CfTask>();
        Assert.Equal(("tasks/default.sh", 128), (tasks[0].Command, tasks[0].MemoryInMb));
        Assert.Equal(("bundle exec rackup", 256), (tasks[1].Command, tasks[1].MemoryInMb));
    }

    [Fact]
    public void Unknown_app_is_object_not_found_naming_the_app()
    {
        var result = Ps.Run("Start-CfTask no-such-app -Command x; 'went on'");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("CfAppNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("no-such-app", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("no-such-app", error.TargetObject);
        Assert.Equal("went on", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void Cc_422_is_invalid_argument_carrying_ccs_detail()
    {
        var result = Ps.Run("Start-CfTask unstaged-app -Command x");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.StartsWith("CfTaskRejected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("Task must have a droplet", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("unstaged-app", error.TargetObject);
    }

    [Fact]
    public void Cc_403_is_permission_denied()
    {
        Ps.Connect(Fixture.Api, "auditor", "auditor-password");

        var result = Ps.Run("Start-CfTask training-app -Command x");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.StartsWith("CfPermissionDenied,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIf_on_start_creates_nothing()
    {
        var result = Ps.Run("Start-CfTask training-app -Command x -WhatIf");

        AssertNoErrors(result);
        Assert.Empty(result.Output);
        Assert.Empty(State.TasksOf(AppGuid("training-app")));
    }

    [Fact]
    public void Apps_piped_from_get_cfapp_each_get_one_task()
    {
        var result = Ps.Run("Get-CfApp 'billing-*' | Start-CfTask -Command 'bin/migrate'");

        AssertNoErrors(result);
        Assert.Equal(["billing-api", "billing-reports", "billing-worker"], result.As<CfTask>().Select(t => t.AppName).Order());
        foreach (var app in new[] { "billing-api", "billing-reports", "billing-worker" })
            Assert.Equal("bin/migrate", Assert.Single(State.TasksOf(AppGuid(app))).Command);
    }

    [Fact]
    public void Two_hundred_piped_apps_with_throttle_limit_8_never_have_more_than_8_requests_in_flight()
    {
        for (var i = 0; i < 200; i++) State.CreateApp(new AppSpec { Name = $"load-{i:000}" });
        var apps = Ps.Run("$global:apps = Get-CfApp 'load-*'; $global:apps.Count");
        Assert.Equal(200, Assert.Single(apps.Output).BaseObject);
        State.SetLatency(20);
        State.ResetStats();

        var result = Ps.Run("$global:apps | Start-CfTask -Command 'sleep 60' -ThrottleLimit 8");

        AssertNoErrors(result);
        Assert.Equal(200, result.Output.Count);
        var stats = State.Stats();
        Assert.InRange(stats.MaxInFlight, 2, 8); // concurrent, and never more than the limit
        Assert.Equal(200, State.Requests().Count(r => r.Method == "POST" && r.Path.EndsWith("/tasks", StringComparison.Ordinal)));
    }

    [Fact]
    public void Wait_on_a_failing_task_is_a_script_terminating_error_carrying_the_failure_reason()
    {
        var result = Ps.Run("Start-CfTask training-app -Name migrate -Command 'echo boom; exit 3' -Wait; 'not reached'");

        Assert.DoesNotContain(result.Output, o => Equals(o.BaseObject, "not reached"));
        var terminating = Assert.IsAssignableFrom<ActionPreferenceStopException>(result.Terminating);
        Assert.StartsWith("CfTaskFailed,", terminating.ErrorRecord.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("APP/TASK/migrate: Exited with status 3", terminating.ErrorRecord.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("migrate", Assert.IsType<CfTask>(terminating.ErrorRecord.TargetObject).Name);
    }

    [Fact]
    public void Wait_over_piped_apps_waits_for_every_task_emits_each_and_then_fails_naming_the_failed_ones()
    {
        State.CreateApp(new AppSpec { Name = "wave-1-ok", TaskProcess = new ProcessSpec { Command = "echo fine" } });
        State.CreateApp(new AppSpec { Name = "wave-2-broken", TaskProcess = new ProcessSpec { Command = "echo boom; exit 3" } });
        State.CreateApp(new AppSpec { Name = "wave-3-ok", TaskProcess = new ProcessSpec { Command = "sleep 2; echo fine" } });

        var result = Ps.Run("$done = [Collections.Generic.List[object]]::new(); Get-CfApp 'wave-*' | Start-CfTask -Name wave -Wait | ForEach-Object { $done.Add($_) }; 'not reached'");
        var emitted = Ps.Run("$done").As<CfTask>();

        Assert.DoesNotContain(result.Output, o => Equals(o.BaseObject, "not reached"));
        Assert.Equal(
            [("wave-1-ok", CfTaskState.Succeeded), ("wave-2-broken", CfTaskState.Failed), ("wave-3-ok", CfTaskState.Succeeded)],
            emitted.Select(t => (t.AppName!, t.State)).Order());
        var terminating = Assert.IsAssignableFrom<ActionPreferenceStopException>(result.Terminating);
        Assert.StartsWith("CfTaskFailed,", terminating.ErrorRecord.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("of app 'wave-2-broken' failed: APP/TASK/wave: Exited with status 3", terminating.ErrorRecord.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("wave-2-broken", Assert.IsType<CfTask>(terminating.ErrorRecord.TargetObject).AppName);
        Assert.Equal("Start-CfTask", terminating.ErrorRecord.CategoryInfo.Activity);
    }

    [Fact]
    public void Wait_on_a_succeeding_task_emits_the_final_task()
    {
        var result = Ps.Run("Start-CfTask training-app -Command 'echo hi' -w");

        AssertNoErrors(result);
        var task = Assert.Single(result.As<CfTask>());
        Assert.Equal(CfTaskState.Succeeded, task.State);
        Assert.Equal("echo hi", task.Command);
    }

    // ------------------------------------------------------------------ Get-CfTask / Get-CfApp

    [Fact]
    public void A_12000_task_app_is_listed_completely_and_exactly_once()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 12_000 });

        var result = Ps.Run("$t = Get-CfTask training-app; $t.Count; ($t.Guid | Sort-Object -Unique).Count");

        AssertNoErrors(result);
        Assert.Equal([12_000, 12_000], result.Output.Select(o => (int)o.BaseObject));
        Assert.Equal(3, Requests("GET", $"/v3/apps/{AppGuid("training-app")}/tasks").Count);
    }

    [Fact]
    public void Select_first_1_makes_one_task_list_request()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 7_000 });
        State.BulkTasks(AppGuid("billing-api"), new BulkTaskSpec { Count = 100 });

        var space = Ps.Run("Get-CfTask | Select-Object -First 1");
        var app = Ps.Run("Get-CfTask training-app | Select-Object -First 1");

        Assert.Single(space.Output);
        Assert.Single(app.Output);
        Assert.Single(Requests("GET", "/v3/tasks"));
        Assert.Single(Requests("GET", $"/v3/apps/{AppGuid("training-app")}/tasks"));
    }

    [Fact]
    public void Paging_parameters_shape_the_requests_and_the_total_comes_from_the_pagination_block()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 40 });

        var result = Ps.Run("Get-CfTask training-app -First 3 -Skip 6 -IncludeTotalCount");

        AssertNoErrors(result);
        Assert.Equal(40UL, result.Output[0].BaseObject); // -IncludeTotalCount's object comes first
        Assert.Equal([34, 33, 32], result.Output.Select(o => o.BaseObject).OfType<CfTask>().Select(t => t.SequenceId));
        // Skip and First fit on one page with one task more (which shows the last one's second is complete): one request.
        var request = Assert.Single(Requests("GET", $"/v3/apps/{AppGuid("training-app")}/tasks"));
        Assert.Contains("per_page=10", request.Query, StringComparison.Ordinal);
        Assert.DoesNotMatch("(^|[?&])page=[2-9]", request.Query);
    }

    [Fact]
    public void Space_listing_fills_app_names_hides_the_command_and_filters_on_the_server()
    {
        State.BulkTasks(AppGuid("billing-api"), new BulkTaskSpec { Count = 3, NamePrefix = "nightly", State = "FAILED" });
        State.BulkTasks(AppGuid("billing-worker"), new BulkTaskSpec { Count = 2, NamePrefix = "nightly", State = "SUCCEEDED" });

        var result = Ps.Run("Get-CfTask -State Failed -Name nightly-2");

        AssertNoErrors(result);
        var task = Assert.Single(result.As<CfTask>());
        Assert.Equal(("billing-api", "nightly-2", CfTaskState.Failed), (task.AppName, task.Name, task.State));
        Assert.Null(task.Command);
        var list = Assert.Single(Requests("GET", "/v3/tasks"));
        Assert.Contains("states=FAILED", list.Query, StringComparison.Ordinal);
        Assert.Contains("names=nightly-2", list.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void Hidden_command_shows_as_hidden_in_the_table_view()
    {
        State.BulkTasks(AppGuid("billing-api"), new BulkTaskSpec { Count = 1, NamePrefix = "secret" });

        var result = Ps.Run("Get-CfTask | Format-Table | Out-String -Width 200");

        Assert.Contains("[hidden]", Assert.Single(result.Output).BaseObject.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sequence_id_and_wildcard_names_per_app()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 5, NamePrefix = "migrate" });
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 2, NamePrefix = "report" });

        var bySequence = Ps.Run("Get-CfTask training-app -SequenceId 2,6");
        var byWildcard = Ps.Run("Get-CfApp training-app | Get-CfTask -Name 'rep*'");
        var noApp = Ps.Run("Get-CfTask -SequenceId 2");

        Assert.Equal([6, 2], bySequence.As<CfTask>().Select(t => t.SequenceId));
        Assert.Contains(Requests("GET", $"/v3/apps/{AppGuid("training-app")}/tasks"), r => r.Query.Contains("sequence_ids=2%2C6", StringComparison.Ordinal) || r.Query.Contains("sequence_ids=2,6", StringComparison.Ordinal));
        Assert.Equal(["report-2", "report-1"], byWildcard.As<CfTask>().Select(t => t.Name));
        Assert.StartsWith("CfSequenceIdNeedsApp,", noApp.FirstError!.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_id_that_names_no_task_is_an_object_not_found_error_like_an_unknown_guid()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 3, NamePrefix = "migrate" });
        State.BulkTasks(AppGuid("billing-api"), new BulkTaskSpec { Count = 1, NamePrefix = "report" });

        var mixed = Ps.Run("Get-CfTask training-app, billing-api -SequenceId 2,99");
        var filtered = Ps.Run("Get-CfTask training-app -SequenceId 2,99 -State Failed; Get-CfTask training-app -SequenceId 99 -Name 'x*'");
        var first = Ps.Run("Get-CfTask training-app -SequenceId 2,99 -First 1");

        Assert.Equal([2], mixed.As<CfTask>().Select(t => t.SequenceId));
        Assert.Equal(
            ["sequence id 2 of app 'billing-api'", "sequence id 99 of app 'billing-api'", "sequence id 99 of app 'training-app'"],
            mixed.Errors.Select(e => System.Text.RegularExpressions.Regex.Match(e.Exception.Message, "sequence id \\d+ of app '[^']+'").Value).Order());
        Assert.All(mixed.Errors, e => Assert.Equal((ErrorCategory.ObjectNotFound, true), (e.CategoryInfo.Category, e.FullyQualifiedErrorId.StartsWith("CfTaskNotFound,", StringComparison.Ordinal))));
        Assert.Equal([2, 99, 99], mixed.Errors.Select(e => (int)e.TargetObject).Order());
        Assert.Empty(filtered.Errors); // with a state or a name it is a filter: nothing found is no error
        Assert.Empty(filtered.Output);
        Assert.Equal([2], first.As<CfTask>().Select(t => t.SequenceId));
        Assert.Empty(first.Errors); // -First 1 was satisfied: the rest was not looked for
    }

    [Fact]
    public void A_piped_task_is_got_again_as_it_is_now_not_its_whole_app()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 4, NamePrefix = "old" });
        Ps.Run("$running = Start-CfTask training-app -Name live -Command 'sleep 600'");
        Ps.Run("Stop-CfTask -InputObject $running -Confirm:$false");

        var again = Ps.Run("$running | Get-CfTask");
        var filtered = Ps.Run("$running | Get-CfTask -State Running");
        var two = Ps.Run("Get-CfTask training-app -Name 'old-*' -First 2 | Get-CfTask");

        AssertNoErrors(again);
        var task = Assert.Single(again.As<CfTask>());
        Assert.Equal(("live", CfTaskState.Canceling), (task.Name, task.State));
        Assert.Empty(filtered.Output);
        Assert.Equal(["old-4", "old-3"], two.As<CfTask>().Select(t => t.Name));
    }

    [Fact]
    public void Get_by_guid_fetches_the_task_directly()
    {
        var started = Ps.Run("Start-CfTask training-app -Command 'sleep 60'").As<CfTask>()[0];
        State.ClearRequests();

        var result = Ps.Run("Get-CfTask -Guid $g", new Dictionary<string, object?> { ["g"] = started.Guid });

        var task = Assert.Single(result.As<CfTask>());
        Assert.Equal(("sleep 60", "training-app"), (task.Command, task.AppName));
        Assert.Single(Requests("GET", $"/v3/tasks/{started.Guid}"));
        Assert.Empty(Requests("GET", "/v3/tasks"));
    }

    [Fact]
    public void Get_by_many_guids_looks_each_app_up_once()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 6 });
        State.BulkTasks(AppGuid("billing-api"), new BulkTaskSpec { Count = 4 });
        var guids = State.TasksOf(AppGuid("training-app")).Concat(State.TasksOf(AppGuid("billing-api"))).Select(t => t.Guid).ToArray();
        State.ClearRequests();

        var result = Ps.Run("Get-CfTask -Guid $g", new Dictionary<string, object?> { ["g"] = guids });

        AssertNoErrors(result);
        Assert.Equal(10, result.As<CfTask>().Count(t => t.AppName is "training-app" or "billing-api"));
        Assert.Equal(2, Requests("GET", "/v3/apps").Count(r => r.Query.Contains("guids=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Get_cfapp_lists_matches_wildcards_and_reports_literal_names_that_match_nothing()
    {
        var all = Ps.Run("Get-CfApp");
        var some = Ps.Run("Get-CfApp 'billing-*', training-app, nope, 'zz*'");

        Assert.Equal(["billing-api", "billing-reports", "billing-worker", "training-app", "unstaged-app"], all.As<CfApp>().Select(a => a.Name));
        Assert.Equal(["billing-api", "billing-reports", "billing-worker", "training-app"], some.As<CfApp>().Select(a => a.Name).Order());
        // A pattern that matches nothing ('zz*') is silent, as with Get-Process; the literal 'nope' is an error.
        var error = Assert.Single(some.Errors);
        Assert.StartsWith("CfAppNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal("nope", error.TargetObject);
    }

    // ------------------------------------------------------------------ Stop-CfTask

    [Fact]
    public void WhatIf_sends_no_cancel()
    {
        Ps.Run("Start-CfTask training-app -Command 'sleep 60'");
        State.ClearRequests();

        var result = Ps.Run("Get-CfTask training-app | Stop-CfTask -WhatIf");

        AssertNoErrors(result);
        Assert.DoesNotContain(State.Requests(), r => r.Path.Contains("cancel", StringComparison.Ordinal));
        Assert.Equal("RUNNING", Assert.Single(State.TasksOf(AppGuid("training-app"))).State);
    }

    [Fact]
    public void Piped_tasks_are_cancelled_and_wait_passthru_emits_them_failed()
    {
        Ps.Run("1..3 | ForEach-Object { Start-CfTask training-app -Command 'sleep 600' }");

        var result = Ps.Run("Get-CfTask training-app | Stop-CfTask -Wait -PassThru");

        AssertNoErrors(result);
        var tasks = result.As<CfTask>();
        Assert.Equal(3, tasks.Count);
        Assert.All(tasks, t => Assert.Equal((CfTaskState.Failed, "task was cancelled"), (t.State, t.FailureReason)));
        Assert.Equal(3, State.Requests().Count(r => r.Method == "POST" && r.Path.EndsWith("/actions/cancel", StringComparison.Ordinal)));
    }

    [Fact]
    public void Stop_by_app_and_sequence_id_and_by_guid()
    {
        Ps.Run("1..3 | ForEach-Object { Start-CfTask training-app -Command 'sleep 600' }");
        var third = State.TasksOf(AppGuid("training-app"))[2].Guid;

        var result = Ps.Run("Stop-CfTask training-app 1 -PassThru; Stop-CfTask -Guid $g -PassThru; Stop-CfTask training-app 99",
            new Dictionary<string, object?> { ["g"] = third });

        Assert.Equal([1, 3], result.As<CfTask>().Select(t => t.SequenceId));
        Assert.All(result.As<CfTask>(), t => Assert.Equal(CfTaskState.Canceling, t.State));
        Assert.Equal(["CANCELING", "RUNNING", "CANCELING"], State.TasksOf(AppGuid("training-app")).Select(t => t.State));
        Assert.StartsWith("CfTaskNotFound,", Assert.Single(result.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelling_a_finished_task_is_a_non_terminating_error_naming_it_and_its_state()
    {
        State.BulkTasks(AppGuid("training-app"), new BulkTaskSpec { Count = 1, NamePrefix = "done" });
        Ps.Run("Start-CfTask training-app -Command 'sleep 600'");

        var result = Ps.Run("Get-CfTask training-app | Stop-CfTask -PassThru");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("CfTaskNotCancelable,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("1 (done-1) of app 'training-app' is Succeeded", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("done-1", Assert.IsType<CfTask>(error.TargetObject).Name);
        Assert.Equal(2, Assert.Single(result.As<CfTask>()).SequenceId); // the batch went on
    }

    [Fact]
    public void Piped_tasks_go_back_to_the_connection_they_came_from()
    {
        Ps.Run("Start-CfTask training-app -Command 'sleep 600'");
        Ps.Run("$global:mine = Get-CfTask training-app");
        Ps.Connect(Fixture.Api, "auditor", "auditor-password"); // now the default, and it may not cancel

        var result = Ps.Run("$global:mine | Stop-CfTask -PassThru");

        AssertNoErrors(result);
        Assert.Equal(CfTaskState.Canceling, Assert.Single(result.As<CfTask>()).State);
    }

    // ------------------------------------------------------------------ Wait-CfTask

    [Fact]
    public void Wait_cftask_emits_final_states_polling_in_batches_and_times_out_per_task()
    {
        Ps.Run("Start-CfTask training-app -Name quick -Command 'exit 2'; Start-CfTask training-app -Name slow -Command 'sleep 600'");
        State.ClearRequests();

        var result = Ps.Run("Get-CfTask training-app | Wait-CfTask -Timeout 1");

        var finished = Assert.Single(result.As<CfTask>());
        Assert.Equal(("quick", CfTaskState.Failed), (finished.Name, finished.State));
        var timeout = Assert.Single(result.Errors);
        Assert.StartsWith("CfTaskWaitTimeout,", timeout.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal("slow", Assert.IsType<CfTask>(timeout.TargetObject).Name);
        Assert.NotEmpty(Requests("GET", "/v3/tasks"));
        Assert.DoesNotContain(State.Requests(), r => r.Path.StartsWith("/v3/tasks/", StringComparison.Ordinal));
    }
}
