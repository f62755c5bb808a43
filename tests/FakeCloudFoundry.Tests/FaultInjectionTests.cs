using System.Diagnostics;
using System.Net;
using FakeCloudFoundry.Faults;

namespace FakeCloudFoundry.Tests;

public sealed class FaultInjectionTests : IAsyncLifetime
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
    public async Task A_status_fault_answers_the_next_N_matches_with_a_CF_error_and_Retry_After()
    {
        _fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/tasks", Action = "status", Status = 503, RetryAfterSeconds = 1, Count = 2 });
        for (var i = 0; i < 2; i++)
        {
            var reply = await _fake.GetAsync("/v3/tasks?per_page=1", _token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
            Assert.Equal("1", reply.Headers["Retry-After"]);
            Assert.Equal(10015, reply.ErrorCode);
            Assert.Equal("CF-ServiceUnavailable", reply.FirstError["title"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/tasks?per_page=1", _token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/apps", _token)).Status);
    }

    [Theory]
    [InlineData(429, 10013, "CF-RateLimitExceeded")]
    [InlineData(401, 1000, "CF-InvalidAuthToken")]
    [InlineData(502, 10001, "UnknownError")]
    public async Task Status_faults_carry_the_matching_CF_error(int status, int code, string title)
    {
        _fake.State.AddFault(new FaultRule { Path = "^/v3/apps$", Action = "status", Status = status, Count = 1 });
        var reply = await _fake.GetAsync("/v3/apps", _token);
        Assert.Equal((HttpStatusCode)status, reply.Status);
        Assert.Equal(code, reply.ErrorCode);
        Assert.Equal(title, reply.FirstError["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Drop_before_resets_the_connection_and_creates_nothing()
    {
        var app = _fake.App();
        _fake.State.AddFault(new FaultRule { Method = "POST", Path = "/tasks$", Action = "drop-before", Count = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => _fake.StartTaskAsync(_token, app, new { command = "echo" }));
        Assert.Empty(_fake.State.TasksOf(app.Guid));
        Assert.Equal(HttpStatusCode.Accepted, (await _fake.StartTaskAsync(_token, app, new { command = "echo" })).Status);
    }

    [Fact]
    public async Task Drop_after_creates_the_task_but_the_client_never_hears_about_it()
    {
        var app = _fake.App();
        _fake.State.AddFault(new FaultRule { Method = "POST", Path = "/tasks$", Action = "drop-after", Count = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => _fake.StartTaskAsync(_token, app, new { command = "echo" }));
        Assert.Single(_fake.State.TasksOf(app.Guid));
    }

    [Fact]
    public async Task Hang_never_answers_until_the_client_gives_up_and_does_nothing()
    {
        var app = _fake.App();
        _fake.State.AddFault(new FaultRule { Method = "POST", Path = "/tasks$", Action = "hang", Count = 1 });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _fake.SendAsync(FakeSession.Build(HttpMethod.Post, $"/v3/apps/{app.Guid}/tasks", _token, new { command = "echo" }), timeout.Token));
        Assert.True(stopwatch.ElapsedMilliseconds >= 350);
        Assert.Empty(_fake.State.TasksOf(app.Guid));
    }

    [Fact]
    public async Task Delay_and_latency_slow_requests_down()
    {
        _fake.State.AddFault(new FaultRule { Path = "^/v3/info$", Action = "delay", DelayMs = 300, Count = 1 });
        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/info", null)).Status);
        Assert.True(stopwatch.ElapsedMilliseconds >= 290, $"took {stopwatch.ElapsedMilliseconds} ms");

        _fake.State.SetLatency(200);
        stopwatch.Restart();
        await _fake.GetAsync("/v3/info", null);
        Assert.True(stopwatch.ElapsedMilliseconds >= 190, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Body_faults_send_arbitrary_and_huge_bodies()
    {
        _fake.State.AddFault(new FaultRule { Path = "^/v3/apps$", Action = "body", Status = 502, Body = "<html>Bad Gateway</html>", ContentType = "text/html", Count = 1 });
        var html = await _fake.GetAsync("/v3/apps", _token);
        Assert.Equal(HttpStatusCode.BadGateway, html.Status);
        Assert.Equal("<html>Bad Gateway</html>", html.Text);
        Assert.Equal("text/html", html.Headers["Content-Type"]);

        _fake.State.AddFault(new FaultRule { Path = "^/v3/apps$", Action = "body", Body = "{\"resources\":[", Count = 1 });
        var malformed = await _fake.GetAsync("/v3/apps", _token.Length > 0 ? _token : null).ContinueWith(t => t.Exception);
        Assert.NotNull(malformed);

        _fake.State.AddFault(new FaultRule { Path = "^/v3/apps$", Action = "body", Body = new string('x', 1024), ContentType = "text/plain", Repeat = 5 * 1024, Count = 1 });
        var huge = await _fake.GetAsync("/v3/apps", _token);
        Assert.Equal(5 * 1024 * 1024, huge.Text.Length);
    }

    [Fact]
    public async Task Rate_faults_are_reproducible_with_a_seed()
    {
        async Task<string> Pattern()
        {
            _fake.State.ClearFaults();
            _fake.State.AddFault(new FaultRule { Path = "^/v3/info$", Action = "status", Status = 500, Rate = 0.5, Seed = 42 });
            var outcomes = new List<char>();
            for (var i = 0; i < 30; i++) outcomes.Add((await _fake.GetAsync("/v3/info", null)).Status == HttpStatusCode.OK ? '.' : 'X');
            return new string(outcomes.ToArray());
        }

        var first = await Pattern();
        Assert.Equal(first, await Pattern());
        Assert.Contains('X', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task Faults_reach_UAA_and_log_cache_but_never_the_controls()
    {
        _fake.State.AddFault(new FaultRule { Path = ".*", Action = "status", Status = 503 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _fake.PasswordGrantAsync("developer", "developer-password")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _fake.GetAsync("/log-cache/api/v1/info", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/_fake/stats", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await _fake.SendJsonAsync(HttpMethod.Delete, "/_fake/faults", null, null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/info", null)).Status);
    }
}
