using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.State;

namespace CfTasks.Client.Tests;

/// <summary>
/// The fake as its own .NET process, for the Desktop suite (this assembly runs on .NET Framework or Mono; the fake is
/// net10.0): <c>dotnet FakeCloudFoundry.dll --port 0</c>, whose first stdout line is its URL, with stdin a pipe so it
/// stops when this process does. The controls are its <c>/_fake</c> HTTP endpoints (tests/FakeCloudFoundry/README.md).
/// </summary>
internal sealed class FakeProcess : IFakeHost, IFakeControls
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Process _process;
    private readonly HttpClient _http;

    private FakeProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = new Uri(baseUrl.OriginalString + "/_fake/"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseUrl { get; }
    public IFakeControls State => this;

    public static async Task<IFakeHost> StartAsync()
    {
        var start = new ProcessStartInfo(DotnetHost(), $"\"{FakeDll()}\" --port 0")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            CreateNoWindow = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("the fake did not start");
        var firstLine = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(firstLine, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false) != firstLine || firstLine.Result is not { Length: > 0 } url)
        {
            Stop(process);
            throw new InvalidOperationException($"the fake ({start.FileName} {start.Arguments}) printed no URL within 60 s");
        }
        return new FakeProcess(process, new BaseAddress(url.Trim()));
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        Stop(_process);
        return default;
    }

    private static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close(); // the fake stops when its stdin ends
            if (!process.WaitForExit(10_000)) process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }

    /// <summary>The dotnet host that runs the fake: the one running the tests (DOTNET_HOST_PATH), else PATH's.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>CFTASKS_FAKE_DLL (build.ps1 sets it), else the fake this project's build produced.</summary>
    private static string FakeDll()
    {
        if (Environment.GetEnvironmentVariable("CFTASKS_FAKE_DLL") is { Length: > 0 } fromEnvironment) return fromEnvironment;
        var built = typeof(FakeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "FakeCloudFoundryDll")?.Value;
        return built is { Length: > 0 } && File.Exists(built)
            ? built
            : throw new FileNotFoundException("FakeCloudFoundry.dll was not found: build the solution, or set CFTASKS_FAKE_DLL.");
    }

    // ----- the controls, over HTTP -----

    public void Reset() => Send(HttpMethod.Post, "reset");
    public AppView CreateApp(AppSpec spec) => Send<AppView>(HttpMethod.Post, "apps", spec);
    public AppView? FindApp(string spaceName, string appName) =>
        SendOrNull<AppView>($"apps?space={Uri.EscapeDataString(spaceName)}&name={Uri.EscapeDataString(appName)}");
    public DropletView AddDroplet(string appGuid, DropletSpec spec) => Send<DropletView>(HttpMethod.Post, $"apps/{appGuid}/droplets", spec);
    public int BulkTasks(string appGuid, BulkTaskSpec spec) => Send<CountAnswer>(HttpMethod.Post, $"apps/{appGuid}/tasks/bulk", spec).Count;
    public BulkSpacesResult BulkSpaces(BulkSpacesSpec spec) => Send<BulkSpacesResult>(HttpMethod.Post, "bulk/spaces", spec);
    public int BulkLogs(string sourceId, BulkLogSpec spec) => Send<CountAnswer>(HttpMethod.Post, $"apps/{sourceId}/logs/bulk", spec).Count;
    public int AddLogs(string sourceId, IEnumerable<LogLineSpec> lines) =>
        Send<CountAnswer>(HttpMethod.Post, "logs", new { sourceId, envelopes = lines.ToList() }).Count;
    public void AddFault(FaultRule rule) => Send(HttpMethod.Post, "faults", rule);
    public IReadOnlyList<RecordedRequest> Requests() => Send<List<RecordedRequest>>(HttpMethod.Get, "requests");
    public void ClearRequests() => Send(HttpMethod.Delete, "requests");
    public void SetClockSpeed(double speed) => Send(HttpMethod.Post, "clock", new { speed });
    public void AdvanceClock(TimeSpan by) => Send(HttpMethod.Post, "clock", new { advanceSeconds = by.TotalSeconds });
    public void ExpireTokens() => Send(HttpMethod.Post, "tokens/expire");
    public void RevokeRefreshTokens() => Send(HttpMethod.Post, "tokens/revoke-refresh");
    public void SetAccessTokenLifetime(int seconds) => Send(HttpMethod.Post, "uaa", new { accessTokenLifetimeSeconds = seconds });
    public string IssueAccessToken(string user) => Send<TokenAnswer>(HttpMethod.Post, "tokens", new { user }).AccessToken;
    public string IssuePasscode(string user) => Send<PasscodeAnswer>(HttpMethod.Post, "passcodes", new { user }).Passcode;
    public string MintAssertion(AssertionSpec spec) => Send<AssertionAnswer>(HttpMethod.Post, "assertions", spec).Assertion;
    public void SetAssertionRefreshTokens(bool issue) => Send(HttpMethod.Post, "uaa", new { assertionRefreshTokens = issue });
    public long NowUnixNano => Send<ClockAnswer>(HttpMethod.Get, "clock").NowUnixNano;
    public TaskView? GetTask(string guid) => SendOrNull<TaskView>($"tasks/{guid}");
    public IReadOnlyList<TaskView> TasksOf(string appGuid) => Send<List<TaskView>>(HttpMethod.Get, $"apps/{appGuid}/tasks");
    public IReadOnlyList<EnvelopeView> LogsOf(string sourceId) => Send<List<EnvelopeView>>(HttpMethod.Get, $"logs/{sourceId}");

    private void Send(HttpMethod method, string path, object? body = null) => Exchange(method, path, body, allowNotFound: false);

    private T Send<T>(HttpMethod method, string path, object? body = null) =>
        JsonSerializer.Deserialize<T>(Exchange(method, path, body, allowNotFound: false)!, Json)
        ?? throw new InvalidOperationException($"{method} /_fake/{path} answered null");

    private T? SendOrNull<T>(string path) where T : class =>
        Exchange(HttpMethod.Get, path, null, allowNotFound: true) is { } json ? JsonSerializer.Deserialize<T>(json, Json) : null;

    /// <summary>One control request, run to completion off the caller's context (the controls are synchronous, as
    /// FakeState's are); the answer's body, or null for an allowed 404.</summary>
    private string? Exchange(HttpMethod method, string path, object? body, bool allowNotFound) =>
        Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
                request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), Json), Encoding.UTF8, "application/json");
            using var response = await _http.SendAsync(request).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{method} /_fake/{path} answered {(int)response.StatusCode}: {text}");
            return text;
        }).GetAwaiter().GetResult();

    private sealed record CountAnswer(int Count);

    private sealed record PasscodeAnswer(string Passcode);

    private sealed record TokenAnswer(string AccessToken);

    private sealed record AssertionAnswer(string Assertion);

    private sealed record ClockAnswer(long NowUnixNano);

    /// <summary>The URL as the fake printed it: ToString without the trailing slash Uri would add.</summary>
    private sealed class BaseAddress(string url) : Uri(url)
    {
        public override string ToString() => OriginalString;
    }
}
