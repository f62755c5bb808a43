using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FakeCloudFoundry.Model;
using FakeCloudFoundry.Tasks;

namespace FakeCloudFoundry.Tests;

/// <summary>
/// The emulator mode: task commands really run (bash -c, or PowerShell and the app's twins without bash, in a copy of
/// the app's folder with a CF-like environment), their output lands in log-cache as the task's envelopes, their exit
/// status decides the state, cancel kills them. And the ordinary fake never runs anything.
/// </summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private static readonly TimeSpan TaskDeadline = TimeSpan.FromSeconds(30);
    private readonly string _appsRoot = Directory.CreateTempSubdirectory("cftasks-emulator-test-apps-").FullName;
    private FakeSession _fake = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        var trainingApp = Directory.CreateDirectory(Path.Combine(_appsRoot, "training-app"));
        WriteScript(Path.Combine(trainingApp.FullName, "tasks", "printenv.sh"), "#!/usr/bin/env bash\nprintenv\n");
        File.WriteAllText(Path.Combine(trainingApp.FullName, "notes.txt"), "original\n");
        _fake = await FakeSession.StartAsync(new FakeServerOptions { Emulator = true, AppsRoot = _appsRoot });
        _token = await _fake.LoginAsync();
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        Directory.Delete(_appsRoot, recursive: true);
    }

    [Fact]
    public async Task Printenv_in_the_apps_files_logs_the_VCAP_APPLICATION_and_secrets_it_was_given()
    {
        const string leak = "CFTASKS_EMULATOR_TEST_MACHINE_VARIABLE";
        Environment.SetEnvironmentVariable(leak, "from-the-developer-machine");
        var app = _fake.App();

        var task = await StartAsync(app, "tasks/printenv.sh", "printenv", memoryInMb: 8, diskInMb: 64);
        await WaitForTerminalAsync(task);

        Assert.Equal(TaskStates.Succeeded, task.State);
        Assert.Equal(8, task.MemoryInMb);
        Assert.Equal(64, task.DiskInMb);
        var lines = TaskLines(app, "printenv").Select(e => e.Message).ToList();
        var vcap = JsonNode.Parse(Value(lines, "VCAP_APPLICATION"))!;
        Assert.Equal(app.Guid, vcap["application_id"]!.GetValue<string>());
        Assert.Equal("training-app", vcap["application_name"]!.GetValue<string>());
        Assert.Equal("demo-space", vcap["space_name"]!.GetValue<string>());
        Assert.Equal("demo-org", vcap["organization_name"]!.GetValue<string>());
        Assert.Equal(8, vcap["limits"]!["mem"]!.GetValue<int>());
        Assert.Equal(64, vcap["limits"]!["disk"]!.GetValue<int>());
        Assert.Equal(_fake.Api, vcap["cf_api"]!.GetValue<string>());
        Assert.Equal("8m", Value(lines, "MEMORY_LIMIT"));
        Assert.Equal(task.Guid, Value(lines, "CF_INSTANCE_GUID"));
        Assert.Equal(EnvironmentDump.DatabasePassword, Value(lines, "DATABASE_PASSWORD"));
        Assert.Equal(EnvironmentDump.ApiToken, Value(lines, "API_TOKEN"));
        var service = JsonNode.Parse(Value(lines, "VCAP_SERVICES"))!["postgres"]![0]!;
        Assert.Equal("training-db", service["name"]!.GetValue<string>());
        Assert.Equal(EnvironmentDump.ServicePassword, service["credentials"]!["password"]!.GetValue<string>());
        Assert.Equal(Value(lines, "HOME"), Value(lines, "PWD"));
        Assert.Equal(Path.GetDirectoryName(Value(lines, "HOME")), Path.GetDirectoryName(Value(lines, "TMPDIR")));
        Assert.DoesNotContain(lines, l => l.StartsWith(leak + "=", StringComparison.Ordinal)); // nothing of the machine's own environment
        Assert.Equal("Exit status 0", lines[^1]);
    }

    [Fact]
    public async Task Exit_3_ends_FAILED_with_Diegos_reason_and_an_Exit_status_line_after_the_output()
    {
        var app = _fake.App();
        var task = await StartAsync(app, "echo migrating; exit 3", "migrate");
        await WaitForTerminalAsync(task);

        Assert.Equal(TaskStates.Failed, task.State);
        Assert.Equal("APP/TASK/migrate: Exited with status 3", task.FailureReason);
        Assert.Equal(["migrating", "Exit status 3"], TaskLines(app, "migrate").Select(e => e.Message));
        var log = _fake.State.LogsOf(app.Guid).Where(e => e.TaskGuid == task.Guid).ToList();
        Assert.Equal(
            ["creating container for instance", "successfully created container for instance", "APP/TASK/migrate", "APP/TASK/migrate",
             "stopping instance", "destroying container for instance", "successfully destroyed container for instance"],
            log.Select(e => e.SourceType == "CELL" ? CellWhat(e.Message, task.Guid) : e.SourceType));
        Assert.True(log[^1].TimestampNs <= task.UpdatedAtNs, "every line is stamped at or before the terminal updated_at");
    }

    [Fact]
    public async Task Stdout_and_stderr_land_as_OUT_and_ERR_lines_in_order()
    {
        var app = _fake.App();
        var task = await StartAsync(app,
            "echo one; sleep 0.2; echo two >&2; sleep 0.2; echo 'grüße ✓'; sleep 0.2; printf 'crlf\\r\\nno newline at the end' >&2", "streams");
        await WaitForTerminalAsync(task);

        var lines = TaskLines(app, "streams");
        Assert.Equal(
            ["OUT one", "ERR two", "OUT grüße ✓", "ERR crlf", "ERR no newline at the end", "OUT Exit status 0"],
            lines.Select(e => e.Stream + " " + e.Message));
        Assert.All(lines, e => Assert.Equal("0", e.InstanceId));
        Assert.Equal(lines.Count, lines.Select(e => e.TimestampNs).Distinct().Count());
        Assert.True(lines.Zip(lines.Skip(1)).All(p => p.First.TimestampNs < p.Second.TimestampNs));
    }

    [Fact]
    public async Task Cancel_kills_the_whole_process_tree_within_a_second_and_the_task_fails_as_cancelled()
    {
        var app = _fake.App();
        var task = await StartAsync(app, "echo \"shell=$$\"; sleep 600 & echo \"child=$!\"; wait", "long");
        var shell = 0;
        var child = 0;
        await WaitUntilAsync(() =>
        {
            var lines = TaskLines(app, "long").Select(e => e.Message).ToList();
            shell = lines.Where(l => l.StartsWith("shell=", StringComparison.Ordinal)).Select(l => int.Parse(l[6..])).FirstOrDefault();
            child = lines.Where(l => l.StartsWith("child=", StringComparison.Ordinal)).Select(l => int.Parse(l[6..])).FirstOrDefault();
            return shell > 0 && child > 0;
        }, TaskDeadline, "the task printed its pids");
        Assert.True(IsRunning(shell) && IsRunning(child));

        var cancel = await _fake.SendJsonAsync(HttpMethod.Post, $"/v3/tasks/{task.Guid}/actions/cancel", _token, null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);
        var stopwatch = Stopwatch.StartNew();
        await WaitUntilAsync(() => !IsRunning(shell) && !IsRunning(child), TimeSpan.FromSeconds(1), "the shell and its sleep 600 are gone");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1));

        await WaitForTerminalAsync(task);
        Assert.Equal(TaskStates.Failed, task.State);
        Assert.Equal("task was cancelled", task.FailureReason);
        Assert.DoesNotContain(TaskLines(app, "long"), e => e.Message.StartsWith("Exit status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_task_works_on_a_private_copy_of_the_apps_files_which_is_removed_afterwards()
    {
        var app = _fake.App();
        var task = await StartAsync(app, "cat notes.txt; echo changed > notes.txt; echo \"home=$HOME\"", "copy");
        await WaitForTerminalAsync(task);

        var lines = TaskLines(app, "copy").Select(e => e.Message).ToList();
        Assert.Equal("original", lines[0]);
        Assert.Equal("original\n", File.ReadAllText(Path.Combine(_appsRoot, "training-app", "notes.txt")));
        var home = lines[1]["home=".Length..];
        Assert.NotEqual(Path.Combine(_appsRoot, "training-app"), home);
        await WaitUntilAsync(() => !Directory.Exists(home), TaskDeadline, "the task's folder is removed");
    }

    [Fact]
    public async Task An_app_without_a_folder_runs_in_an_empty_one_and_a_missing_command_fails_with_127()
    {
        var app = _fake.App("billing-api");
        var task = await StartAsync(app, "ls -A | wc -l; tasks/default.sh", "nofiles");
        await WaitForTerminalAsync(task);

        Assert.Equal("APP/TASK/nofiles: Exited with status 127", task.FailureReason);
        var lines = TaskLines(app, "nofiles");
        Assert.Equal("0", lines[0].Message.Trim());
        Assert.Contains(lines, e => e.Stream == "ERR" && e.Message.Contains("tasks/default.sh", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_the_emulator_kills_tasks_still_running()
    {
        var app = _fake.App();
        await StartAsync(app, "echo \"shell=$$\"; sleep 600", "orphan");
        var shell = 0;
        await WaitUntilAsync(() =>
        {
            shell = TaskLines(app, "orphan").Select(e => e.Message).Where(l => l.StartsWith("shell=", StringComparison.Ordinal))
                .Select(l => int.Parse(l[6..])).FirstOrDefault();
            return shell > 0;
        }, TaskDeadline, "the task printed its pid");

        await _fake.Server.DisposeAsync();

        Assert.False(IsRunning(shell));
        _fake = await FakeSession.StartAsync(new FakeServerOptions { Emulator = true, AppsRoot = _appsRoot }); // for DisposeAsync
    }

    [Fact]
    public async Task The_ordinary_fake_never_runs_a_command()
    {
        var marker = Path.Combine(_appsRoot, "created-by-a-task");
        await using var ordinary = await FakeSession.StartAsync(new FakeServerOptions());
        var token = await ordinary.LoginAsync();
        var app = ordinary.App();
        var reply = await ordinary.StartTaskAsync(token, app, new { command = $"touch {marker}; echo ran > {marker}; printenv", name = "inert" });
        var guid = reply.Body["guid"]!.GetValue<string>();

        ordinary.State.AdvanceClock(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskStates.Succeeded, ordinary.State.GetTask(guid)!.State);
        Assert.False(File.Exists(marker));
        Assert.Contains(ordinary.State.LogsOf(app.Guid), e => e.Message == "HOME=/home/vcap/app"); // the scripted dump, not a real one
    }

    [Fact]
    public async Task The_default_apps_root_is_the_repositorys_samples_folder_with_the_demos_training_app()
    {
        await using var fake = await FakeSession.StartAsync(new FakeServerOptions { Emulator = true });
        var token = await fake.LoginAsync();
        var app = fake.App();
        var reply = await fake.StartTaskAsync(token, app, new { command = "tasks/printenv.sh", name = "printenv", memory_in_mb = 8, disk_in_mb = 64 });
        var task = fake.State.GetTask(reply.Body["guid"]!.GetValue<string>())!;
        await WaitUntilAsync(() => TaskStates.IsTerminal(fake.State.GetTask(task.Guid)!.State), TaskDeadline, "the task ends");

        Assert.Equal(TaskStates.Succeeded, fake.State.GetTask(task.Guid)!.State);
        Assert.Contains(fake.State.LogsOf(app.Guid), e => e.Message == "DATABASE_PASSWORD=" + EnvironmentDump.DatabasePassword);

        // the app's 'task' process command (what Start-CfTask runs without -Command) is in the sample too
        var process = (await fake.GetAsync($"/v3/apps/{app.Guid}/processes/task", token)).Body;
        var fromTemplate = await fake.StartTaskAsync(token, app, new { name = "default", template = new { process = new { guid = process["guid"]!.GetValue<string>() } } });
        var guid = fromTemplate.Body["guid"]!.GetValue<string>();
        await WaitUntilAsync(() => TaskStates.IsTerminal(fake.State.GetTask(guid)!.State), TaskDeadline, "the default task ends");
        Assert.Equal(TaskStates.Succeeded, fake.State.GetTask(guid)!.State);
        Assert.Contains(fake.State.LogsOf(app.Guid), e => e.SourceType == "APP/TASK/default" && e.Message == "training-app: nightly housekeeping done");
    }

    [Fact]
    public async Task The_process_with_emulator_says_it_runs_commands_and_runs_them_from_the_apps_root_given()
    {
        WriteScript(Path.Combine(_appsRoot, "training-app", "answer.sh"), "#!/usr/bin/env bash\necho \"answer=$((6 * 7))\"\n");
        await using var emulator = await StandaloneEmulator.StartAsync(["--apps-root", _appsRoot], shell: null);

        Assert.Contains("not Cloud Foundry", emulator.Banner);
        Assert.Contains("RUN ON THIS MACHINE", emulator.Banner);
        Assert.Contains("bash -c", emulator.Banner);
        var task = await emulator.RunAsync("training-app", "./answer.sh", "answer");
        Assert.Equal("SUCCEEDED", task.State);
        Assert.Contains("OUT answer=42", task.Lines);
    }

    [Fact]
    public async Task Without_bash_the_sample_apps_tasks_run_as_their_PowerShell_twins_with_the_same_lines_and_exit_status()
    {
        // The Windows path (no bash: PowerShell and the tasks/*.ps1 twins), run here with pwsh forced by
        // CFTASKS_EMULATOR_SHELL, against the real samples/training-app.
        await using var emulator = await StandaloneEmulator.StartAsync([], PowerShellForTests.Path);
        Assert.Contains("pwsh: tasks/*.sh run as their tasks/*.ps1 twins", emulator.Banner);

        var printenv = await emulator.RunAsync("training-app", "tasks/printenv.sh", "printenv", memoryInMb: 8);
        Assert.Equal("SUCCEEDED", printenv.State);
        Assert.Contains("OUT MEMORY_LIMIT=8m", printenv.Lines);
        Assert.Contains("OUT DATABASE_PASSWORD=" + EnvironmentDump.DatabasePassword, printenv.Lines);
        Assert.Contains(printenv.Lines, l => l.StartsWith("OUT VCAP_SERVICES={\"postgres\":[{", StringComparison.Ordinal));
        Assert.Equal("OUT Exit status 0", printenv.Lines[^1]);

        var fail = await emulator.RunAsync("training-app", "tasks/fail.sh", "check-schema");
        Assert.Equal("FAILED", fail.State);
        Assert.Equal("APP/TASK/check-schema: Exited with status 3", fail.FailureReason);
        Assert.Equal(["OUT checking the training database schema", "ERR schema version 41 is older than the required 42", "OUT Exit status 3"],
            fail.Lines.OrderBy(l => l.StartsWith("OUT Exit", StringComparison.Ordinal)).ThenBy(l => l.StartsWith("ERR", StringComparison.Ordinal)));

        var fromTemplate = await emulator.RunAsync("training-app", command: null, "default");
        Assert.Equal("SUCCEEDED", fromTemplate.State);
        Assert.Equal(["OUT training-app: nightly housekeeping done", "OUT Exit status 0"], fromTemplate.Lines);

        var noTwin = await emulator.RunAsync("billing-api", "tasks/default.sh", "no-twin");
        Assert.Equal("APP/TASK/no-twin: Exited with status 127", noTwin.FailureReason);
        Assert.Contains(noTwin.Lines, l => l.StartsWith("ERR emulator: tasks/default.sh is a bash script", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_bash_cancel_kills_the_PowerShell_twin_and_the_task_fails_as_cancelled()
    {
        await using var emulator = await StandaloneEmulator.StartAsync([], PowerShellForTests.Path);
        var guid = await emulator.StartAsync("training-app", "tasks/long.sh", "long-report");
        await WaitUntilAsync(() => emulator.Lines(guid).Contains("OUT working... 2s"), TaskDeadline, "the twin printed two lines");
        var twins = PowerShellTwinsRunning(guid);
        if (OperatingSystem.IsLinux()) Assert.NotEmpty(twins);

        await emulator.CancelAsync(guid);
        await WaitUntilAsync(() => emulator.State(guid).State == "FAILED", TaskDeadline, "the task ends");

        Assert.Equal("task was cancelled", emulator.State(guid).FailureReason);
        Assert.All(twins, pid => Assert.False(IsRunning(pid)));
        Assert.DoesNotContain(emulator.Lines(guid), l => l.Contains("Exit status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_process_refuses_an_apps_root_without_emulator()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FakeCloudFoundry.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--apps-root", _appsRoot])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
    }

    // ----- helpers -----

    private async Task<FakeTask> StartAsync(CfApp app, string command, string name, int? memoryInMb = null, int? diskInMb = null)
    {
        var body = new JsonObject { ["command"] = command, ["name"] = name };
        if (memoryInMb is not null) body["memory_in_mb"] = memoryInMb;
        if (diskInMb is not null) body["disk_in_mb"] = diskInMb;
        var reply = await _fake.SendJsonAsync(HttpMethod.Post, $"/v3/apps/{app.Guid}/tasks", _token, body.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        return _fake.State.GetTask(reply.Body["guid"]!.GetValue<string>())!;
    }

    private Task WaitForTerminalAsync(FakeTask task) =>
        WaitUntilAsync(() => TaskStates.IsTerminal(_fake.State.GetTask(task.Guid)!.State), TaskDeadline, $"task {task.Name} ends");

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan deadline, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > deadline) Assert.Fail($"timed out after {deadline.TotalSeconds} s waiting until {what}");
            await Task.Delay(20);
        }
    }

    private List<LogEnvelope> TaskLines(CfApp app, string taskName) =>
        _fake.State.LogsOf(app.Guid).Where(e => e.SourceType == "APP/TASK/" + taskName).ToList();

    private static string Value(IEnumerable<string> lines, string name) =>
        lines.Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    private static string CellWhat(string message, string taskGuid)
    {
        // "Cell <cell id> <what> <task guid>"
        Assert.EndsWith(" " + taskGuid, message);
        var withoutGuid = message[..^(taskGuid.Length + 1)];
        return withoutGuid[(withoutGuid.IndexOf(' ', "Cell ".Length) + 1)..];
    }

    /// <summary>Linux: the processes whose environment says they are the task's (CF_INSTANCE_GUID); elsewhere none.</summary>
    private static List<int> PowerShellTwinsRunning(string taskGuid)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Contains("CF_INSTANCE_GUID=" + taskGuid, StringComparison.Ordinal)) pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone, or not ours
            }
        }
        return pids;
    }

    /// <summary>Whether a process exists and is not a zombie (a killed child waiting to be reaped is gone).</summary>
    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                return state is not ("Z" or "X");
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return false;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void WriteScript(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
