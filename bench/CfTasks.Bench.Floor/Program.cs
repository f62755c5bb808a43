using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CfTasks.Bench.Floor;

// The floor for each benchmark scenario: the same requests CfTasks makes, deserialised into the same wire objects
// with source-generated System.Text.Json, and nothing else. One scenario per process (started fresh, like the pwsh
// children); the timed part is the operation itself, after signing in, unless the scenario says otherwise.
// Prints one JSON object (camelCase) on stdout.

var options = Options.Parse(args);
var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
var mainAt = DateTime.UtcNow;
var floor = new Floor(options);
Result result = options.Scenario switch
{
    "tasks" => await floor.TasksAsync(),
    "allspaces" => await floor.AllSpacesAsync(),
    "logs" => await floor.LogsAsync(),
    "start" => await floor.StartAsync(),
    "wait" => await floor.WaitAsync(),
    "cold" => await floor.ColdAsync(started, mainAt),
    _ => throw new ArgumentException($"unknown scenario '{options.Scenario}' (tasks, allspaces, logs, start, wait, cold)"),
};
Console.WriteLine(JsonSerializer.Serialize(result, ResultContext.Default.Result));
return 0;

internal sealed record Options(
    string Scenario, string Api, string User, string Password, string Org, string Space, string? App, string? TaskGuid,
    string? AppPrefix, int Concurrency, int Cycles, double IntervalSeconds)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2) map[args[i].TrimStart('-')] = args[i + 1];
        string Get(string key, string? fallback = null) =>
            map.TryGetValue(key, out var v) ? v : fallback ?? throw new ArgumentException($"--{key} is required");
        return new Options(
            Get("scenario"), Get("api").TrimEnd('/'), Get("user", "admin"), Get("password", "admin-password"),
            Get("org", "demo-org"), Get("space", "demo-space"), map.GetValueOrDefault("app"), map.GetValueOrDefault("task-guid"),
            map.GetValueOrDefault("app-prefix"), int.Parse(Get("concurrency", "8")), int.Parse(Get("cycles", "2")),
            double.Parse(Get("interval", "3"), System.Globalization.CultureInfo.InvariantCulture));
    }
}

internal sealed class Floor
{
    private const int MaxPerPage = 5000;
    private const int LogLimit = 1000;
    private readonly Options _o;
    private readonly HttpClient _http;
    private string? _spaceGuid;
    private Uri? _logCache;
    private long _requests;

    public Floor(Options options)
    {
        _o = options;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            MaxConnectionsPerServer = 32,
            UseCookies = false,
        })
        { Timeout = TimeSpan.FromMinutes(5) };
    }

    // ---------------------------------------------------------------- scenarios

    /// <summary>Get-CfTask -AppName X | Measure-Object: app by name, then the app's task pages (per_page 5000, next hrefs).</summary>
    public async Task<Result> TasksAsync()
    {
        await ConnectAsync();
        var (watch, before) = Begin();
        var app = await AppByNameAsync(_o.App!);
        long count = 0;
        await foreach (var _ in TasksOfAsync(app.Guid)) count++;
        return End("tasks", watch, before, count);
    }

    /// <summary>
    /// Get-CfTask -AllSpaces | Measure-Object: every task's page of GET /v3/tasks (per_page 5000, next hrefs), and for the
    /// apps of each page not seen before their names, spaces and organizations (include=space.organization, 50 apps a
    /// request), each task paired with its app's names.
    /// </summary>
    public async Task<Result> AllSpacesAsync()
    {
        await ConnectAsync();
        var (watch, before) = Begin();
        var places = new Dictionary<string, (string App, string? Space, string? Org)>(StringComparer.Ordinal);
        long count = 0;
        string? next = $"{_o.Api}/v3/tasks?order_by=-created_at&per_page={MaxPerPage}";
        while (next is not null)
        {
            var page = await GetAsync(next, WireContext.Default.PageTaskResource);
            var missing = (page.Resources ?? []).Select(t => t.Relationships?.App?.Data?.Guid).OfType<string>().Where(g => !places.ContainsKey(g)).Distinct().ToList();
            foreach (var batch in missing.Chunk(50))
            {
                var apps = await GetAsync($"{_o.Api}/v3/apps?guids={string.Join(',', batch)}&include=space.organization&per_page=50", WireContext.Default.AppPlacementPage);
                var orgs = (apps.Included?.Organizations ?? []).ToDictionary(o => o.Guid, o => o.Name);
                var spaces = (apps.Included?.Spaces ?? []).ToDictionary(s => s.Guid);
                foreach (var app in apps.Resources ?? [])
                {
                    var space = spaces.GetValueOrDefault(app.Relationships?.Space?.Data?.Guid ?? "");
                    places[app.Guid] = (app.Name, space?.Name, orgs.GetValueOrDefault(space?.Relationships?.Organization?.Data?.Guid ?? ""));
                }
            }
            foreach (var task in page.Resources ?? [])
                if (places.TryGetValue(task.Relationships?.App?.Data?.Guid ?? "", out var place) && place.App.Length > 0) count++;
            next = page.Resources is { Count: > 0 } ? page.Pagination?.Next?.Href : null;
        }
        return End("allspaces", watch, before, count);
    }

    /// <summary>$task | Get-CfTaskLog | Measure-Object: the task's window from log-cache, 1000 envelopes per read, walking forwards.</summary>
    public async Task<Result> LogsAsync()
    {
        await ConnectAsync();
        var task = await GetAsync($"{_o.Api}/v3/tasks/{_o.TaskGuid}", WireContext.Default.TaskResource);
        var (watch, before) = Begin();
        var appGuid = task.Relationships!.App!.Data!.Guid!;
        var sourceType = "APP/TASK/" + task.Name;
        var start = ToNs(task.CreatedAt) - 1_000_000_000;
        var end = ToNs(task.UpdatedAt) + 2_000_000_000;
        long count = 0;
        while (true)
        {
            var url = $"{_logCache}/api/v1/read/{appGuid}?end_time={end}&envelope_types=LOG&limit={LogLimit}&start_time={start}";
            var batch = (await GetAsync(url, WireContext.Default.LogCacheReadResponse)).Envelopes?.Batch ?? [];
            foreach (var envelope in batch)
            {
                if (envelope.Log is not { } log) continue;
                var type = envelope.Tags?.SourceType ?? "";
                if (type != sourceType) continue;
                var line = new LogLine(envelope.Timestamp, DateTime.UnixEpoch.AddTicks(envelope.Timestamp / 100), type,
                    envelope.InstanceId ?? "", log.Type == "ERR" ? "ERR" : "OUT", Encoding.UTF8.GetString(log.Payload ?? []).TrimEnd('\r', '\n'));
                if (line.Message.Length >= 0) count++;
            }
            if (batch.Count < LogLimit) break;
            start = batch[^1].Timestamp + 1;
        }
        return End("logs", watch, before, count);
    }

    /// <summary>$apps | Start-CfTask -Command ...: one POST per app, --concurrency at a time.</summary>
    public async Task<Result> StartAsync()
    {
        await ConnectAsync();
        var apps = new List<AppResource>();
        await foreach (var app in PagesAsync($"{_o.Api}/v3/apps?per_page={MaxPerPage}&space_guids={_spaceGuid}", WireContext.Default.PageAppResource))
            if (app.Name.StartsWith(_o.AppPrefix!, StringComparison.Ordinal)) apps.Add(app);
        var (watch, before) = Begin();
        using var gate = new SemaphoreSlim(_o.Concurrency);
        var created = await Task.WhenAll(apps.Select(async app =>
        {
            await gate.WaitAsync();
            try
            {
                var body = new TaskCreateRequest
                {
                    Command = "echo hi",
                    Metadata = new Metadata(new Dictionary<string, string?> { ["cftasks-request-id"] = Guid.NewGuid().ToString("N") }, null),
                };
                using var content = new StringContent(JsonSerializer.Serialize(body, WireContext.Default.TaskCreateRequest), Encoding.UTF8, "application/json");
                Interlocked.Increment(ref _requests);
                using var response = await _http.PostAsync($"{_o.Api}/v3/apps/{app.Guid}/tasks", content);
                response.EnsureSuccessStatusCode();
                await using var stream = await response.Content.ReadAsStreamAsync();
                return await JsonSerializer.DeserializeAsync(stream, WireContext.Default.TaskResource);
            }
            finally
            {
                gate.Release();
            }
        }));
        return End("start", watch, before, created.Length);
    }

    /// <summary>Wait-CfTask on an app's running tasks: --cycles polls of batched GET /v3/tasks?guids= (50 per request).</summary>
    public async Task<Result> WaitAsync()
    {
        await ConnectAsync();
        var app = await AppByNameAsync(_o.App!);
        var guids = new List<string>();
        await foreach (var task in PagesAsync($"{_o.Api}/v3/apps/{app.Guid}/tasks?per_page={MaxPerPage}&states=RUNNING", WireContext.Default.PageTaskResource))
            guids.Add(task.Guid);
        var (watch, before) = Begin();
        var phases = new Dictionary<string, double>();
        long seen = 0;
        for (var cycle = 1; cycle <= _o.Cycles; cycle++)
        {
            if (cycle > 1) await Task.Delay(TimeSpan.FromSeconds(_o.IntervalSeconds));
            var cycleWatch = Stopwatch.StartNew();
            foreach (var batch in guids.Chunk(50))
            {
                var page = await GetAsync($"{_o.Api}/v3/tasks?guids={string.Join(',', batch)}&per_page=50", WireContext.Default.PageTaskResource);
                seen += page.Resources?.Count ?? 0;
            }
            phases[$"cycle{cycle}Ms"] = cycleWatch.Elapsed.TotalMilliseconds;
        }
        return End("wait", watch, before, seen) with { Phases = phases };
    }

    /// <summary>A fresh process: runtime start, sign in and target, first task list of --app (all timed).</summary>
    public async Task<Result> ColdAsync(DateTime processStarted, DateTime mainAt)
    {
        var before = GC.GetTotalAllocatedBytes(true);
        var phases = new Dictionary<string, double> { ["startMs"] = (mainAt - processStarted).TotalMilliseconds };
        var watch = Stopwatch.StartNew();
        await ConnectAsync();
        phases["connectMs"] = watch.Elapsed.TotalMilliseconds;
        var list = Stopwatch.StartNew();
        var app = await AppByNameAsync(_o.App!);
        long count = 0;
        await foreach (var _ in TasksOfAsync(app.Guid)) count++;
        phases["firstCallMs"] = list.Elapsed.TotalMilliseconds;
        var total = (DateTime.UtcNow - processStarted).TotalMilliseconds;
        return new Result("cold", total, count, _requests, Process.GetCurrentProcess().PeakWorkingSet64,
            GC.GetTotalAllocatedBytes(true) - before, phases);
    }

    // ---------------------------------------------------------------- requests

    private async Task ConnectAsync()
    {
        Interlocked.Increment(ref _requests);
        using var root = JsonDocument.Parse(await _http.GetStringAsync(_o.Api + "/"));
        var links = root.RootElement.GetProperty("links");
        var login = links.GetProperty("login").GetProperty("href").GetString()!.TrimEnd('/');
        _logCache = links.TryGetProperty("log_cache", out var lc) && lc.ValueKind == JsonValueKind.Object
            ? new Uri(lc.GetProperty("href").GetString()!.TrimEnd('/')) : null;

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, login + "/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = _o.User, ["password"] = _o.Password,
            }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("cf:"u8.ToArray()));
        Interlocked.Increment(ref _requests);
        using var tokenResponse = await _http.SendAsync(tokenRequest);
        tokenResponse.EnsureSuccessStatusCode();
        var token = await JsonSerializer.DeserializeAsync(await tokenResponse.Content.ReadAsStreamAsync(), WireContext.Default.TokenResponse);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);

        var org = (await GetAsync($"{_o.Api}/v3/organizations?names={Uri.EscapeDataString(_o.Org)}", WireContext.Default.PageOrganizationResource)).Resources!.Single();
        var space = (await GetAsync($"{_o.Api}/v3/spaces?names={Uri.EscapeDataString(_o.Space)}&organization_guids={org.Guid}", WireContext.Default.PageSpaceResource)).Resources!.Single();
        _spaceGuid = space.Guid;
    }

    private async Task<AppResource> AppByNameAsync(string name) =>
        (await GetAsync($"{_o.Api}/v3/apps?names={Uri.EscapeDataString(name)}&space_guids={_spaceGuid}", WireContext.Default.PageAppResource)).Resources!.Single();

    private IAsyncEnumerable<TaskResource> TasksOfAsync(string appGuid) =>
        PagesAsync($"{_o.Api}/v3/apps/{appGuid}/tasks?order_by=-created_at&per_page={MaxPerPage}", WireContext.Default.PageTaskResource);

    private async IAsyncEnumerable<T> PagesAsync<T>(string url, System.Text.Json.Serialization.Metadata.JsonTypeInfo<Page<T>> type)
    {
        string? next = url;
        while (next is not null)
        {
            var page = await GetAsync(next, type);
            foreach (var item in page.Resources ?? []) yield return item;
            next = page.Resources is { Count: > 0 } ? page.Pagination?.Next?.Href : null;
        }
    }

    private async Task<T> GetAsync<T>(string url, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        Interlocked.Increment(ref _requests);
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        return (await JsonSerializer.DeserializeAsync(stream, type))!;
    }

    // ---------------------------------------------------------------- measuring

    private (Stopwatch Watch, long Allocated) Begin()
    {
        Interlocked.Exchange(ref _requests, 0);
        var allocated = GC.GetTotalAllocatedBytes(true);
        return (Stopwatch.StartNew(), allocated);
    }

    private Result End(string scenario, Stopwatch watch, long allocatedBefore, long count)
    {
        var ms = watch.Elapsed.TotalMilliseconds;
        return new Result(scenario, ms, count, Interlocked.Read(ref _requests), Process.GetCurrentProcess().PeakWorkingSet64,
            GC.GetTotalAllocatedBytes(true) - allocatedBefore, null);
    }

    private static long ToNs(DateTime utc) => (utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks * 100;
}
