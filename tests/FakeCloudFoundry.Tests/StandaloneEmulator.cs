using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FakeCloudFoundry.Tasks;

namespace FakeCloudFoundry.Tests;

/// <summary>
/// The emulator as a user starts it (<c>dotnet FakeCloudFoundry.dll --emulator ...</c>), driven over HTTP as the
/// developer user in demo-space: start tasks, read their state and their log lines. The process's environment decides
/// the shell, so a test can run the PowerShell path (<see cref="TaskShell.OverrideVariable"/>) on any machine.
/// </summary>
internal sealed class StandaloneEmulator : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly Dictionary<string, (string AppGuid, string Name)> _tasks = [];
    private string _spaceGuid = "";

    private StandaloneEmulator(Process process, string url, string banner)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri(url), Timeout = Deadline };
        Banner = banner;
    }

    /// <summary>The reminder the emulator prints on stderr: what it is and which shell runs commands.</summary>
    public string Banner { get; }

    /// <param name="arguments">arguments after <c>--emulator</c></param>
    /// <param name="shell">the value of CFTASKS_EMULATOR_SHELL, or null for the machine's own choice</param>
    public static async Task<StandaloneEmulator> StartAsync(IEnumerable<string> arguments, string? shell)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FakeCloudFoundry.dll"));
        start.ArgumentList.Add("--emulator");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (shell is null) start.Environment.Remove(TaskShell.OverrideVariable);
        else start.Environment[TaskShell.OverrideVariable] = shell;

        var process = Process.Start(start)!;
        try
        {
            var url = await process.StandardOutput.ReadLineAsync().WaitAsync(Deadline);
            Assert.Matches(@"^http://127\.0\.0\.1:\d+$", url);
            var banner = await process.StandardError.ReadLineAsync().WaitAsync(Deadline) ?? "";
            _ = process.StandardError.ReadToEndAsync(); // keep draining warnings
            var emulator = new StandaloneEmulator(process, url!, banner);
            await emulator.LogInAsync();
            return emulator;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Starts a task (with <paramref name="command"/> null: from the app's <c>task</c> process) and returns its guid.</summary>
    public async Task<string> StartAsync(string appName, string? command, string name, int? memoryInMb = null)
    {
        var appGuid = Guid(await GetJsonAsync($"/v3/apps?names={appName}&space_guids={_spaceGuid}"), 0);
        var body = new JsonObject { ["name"] = name };
        if (command is not null) body["command"] = command;
        else body["template"] = new JsonObject { ["process"] = new JsonObject { ["guid"] = (await GetJsonAsync($"/v3/apps/{appGuid}/processes/task"))["guid"]!.GetValue<string>() } };
        if (memoryInMb is not null) body["memory_in_mb"] = memoryInMb;
        var created = await _http.PostAsync($"/v3/apps/{appGuid}/tasks", Json(body));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var guid = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["guid"]!.GetValue<string>();
        _tasks[guid] = (appGuid, name);
        return guid;
    }

    /// <summary>Starts a task and waits until it ends.</summary>
    public async Task<TaskRun> RunAsync(string appName, string? command, string name, int? memoryInMb = null)
    {
        var guid = await StartAsync(appName, command, name, memoryInMb);
        var stopwatch = Stopwatch.StartNew();
        while (State(guid).State is not ("SUCCEEDED" or "FAILED"))
        {
            if (stopwatch.Elapsed > Deadline) Assert.Fail($"task {name} did not end within {Deadline.TotalSeconds} s");
            await Task.Delay(50);
        }
        var (state, reason) = State(guid);
        return new TaskRun(state, reason, Lines(guid));
    }

    public async Task CancelAsync(string taskGuid) =>
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync($"/v3/tasks/{taskGuid}/actions/cancel", null)).StatusCode);

    public (string State, string? FailureReason) State(string taskGuid)
    {
        var task = GetJsonAsync($"/v3/tasks/{taskGuid}").GetAwaiter().GetResult();
        return (task["state"]!.GetValue<string>(), task["result"]?["failure_reason"]?.GetValue<string>());
    }

    /// <summary>The task's own log lines (APP/TASK/&lt;name&gt;), each as "OUT text" or "ERR text", in log order.</summary>
    public IReadOnlyList<string> Lines(string taskGuid)
    {
        var (appGuid, name) = _tasks[taskGuid];
        var batch = GetJsonAsync($"/log-cache/api/v1/read/{appGuid}?start_time=0&limit=1000").GetAwaiter().GetResult()["envelopes"]!["batch"]!.AsArray();
        return batch
            .Where(e => e!["tags"]!["source_type"]!.GetValue<string>() == "APP/TASK/" + name)
            .Select(e => e!["log"]!["type"]!.GetValue<string>() + " " + Encoding.UTF8.GetString(Convert.FromBase64String(e["log"]!["payload"]!.GetValue<string>())))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _process.StandardInput.Close(); // the emulator stops when its stdin closes, killing what still runs
        if (!await Task.Run(() => _process.WaitForExit(10_000))) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private async Task LogInAsync()
    {
        var tokens = await _http.PostAsync("/_fake/tokens", Json(new JsonObject { ["user"] = "developer" }));
        var token = JsonNode.Parse(await tokens.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + token);
        _spaceGuid = Guid(await GetJsonAsync("/v3/spaces?names=demo-space"), 0);
    }

    private async Task<JsonNode> GetJsonAsync(string path) => JsonNode.Parse(await _http.GetStringAsync(path))!;

    private static string Guid(JsonNode list, int index) => list["resources"]![index]!["guid"]!.GetValue<string>();

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}

/// <summary>How an emulated task ended and what it printed ("OUT text" / "ERR text", then "OUT Exit status N").</summary>
internal sealed record TaskRun(string State, string? FailureReason, IReadOnlyList<string> Lines);

/// <summary>
/// The pwsh of this repository's .NET tool manifest (<c>dotnet tool restore</c> puts it in the NuGet cache), else one on
/// PATH: the PowerShell the emulator's Windows fallback is tested with here.
/// </summary>
internal static class PowerShellForTests
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = ToolVersion();
        if (version is not null)
        {
            var tool = System.IO.Path.Combine(packages, "powershell", version, "tools");
            var executable = OperatingSystem.IsWindows() ? System.IO.Path.Combine("any", "win", "pwsh.exe") : System.IO.Path.Combine("any", "unix", "pwsh");
            if (Directory.Exists(tool))
            {
                foreach (var framework in Directory.EnumerateDirectories(tool))
                {
                    var candidate = System.IO.Path.Combine(framework, executable);
                    if (File.Exists(candidate)) return candidate;
                }
            }
        }
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(directory, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("No pwsh for the emulator's PowerShell tests: run 'dotnet tool restore' in the repository first.");
    }

    /// <summary>The PowerShell version pinned in .config/dotnet-tools.json above the test assembly.</summary>
    private static string? ToolVersion()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var manifest = System.IO.Path.Combine(dir.FullName, ".config", "dotnet-tools.json");
            if (File.Exists(manifest)) return JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?["powershell"]?["version"]?.GetValue<string>();
        }
        return null;
    }
}
