using System.Diagnostics;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using FakeCloudFoundry.Faults;

namespace CfTasks.Client.Tests;

/// <summary>The one resilience pipeline: what is retried, what is not, Retry-After, timeouts, and what the user sees.</summary>
public sealed class ResilienceTests : IClassFixture<ClientFixture>
{
    private readonly ClientFixture _fixture;

    public ResilienceTests(ClientFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    private List<int> StatusesOf(string path) =>
        _fixture.Fake.State.Requests().Where(r => r.Path == path).Select(r => r.Status).ToList();

    [Theory]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(429)]
    public async Task A_get_that_meets_a_transient_status_is_retried_until_it_succeeds(int status)
    {
        using var session = await _fixture.ConnectAsync();
        _fixture.Fake.State.ClearRequests();
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Status = status, Count = 3 });

        var app = await session.Apps.GetByNameAsync("training-app", CancellationToken.None);

        Assert.Equal("training-app", app.Name);
        Assert.Equal([status, status, status, 200], StatusesOf("/v3/apps"));
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        using var session = await _fixture.ConnectAsync(options: ClientFixture.FastOptions with { RetryMaxDelay = TimeSpan.FromSeconds(5) });
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Status = 429, RetryAfterSeconds = 1, Count = 1 });

        var clock = Stopwatch.StartNew();
        await session.Apps.GetByNameAsync("training-app", CancellationToken.None);

        // Backoff alone would retry within 5 ms; Retry-After asked for a second.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task Connection_resets_on_gets_are_retried()
    {
        using var session = await _fixture.ConnectAsync();
        _fixture.Fake.State.ClearRequests();
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Action = FaultActions.DropBefore, Count = 2 });

        var app = await session.Apps.GetByNameAsync("billing-api", CancellationToken.None);
        Assert.Equal("billing-api", app.Name);
        Assert.Equal(3, StatusesOf("/v3/apps").Count);
    }

    [Fact]
    public async Task A_hanging_get_times_out_per_attempt_and_is_retried()
    {
        using var session = await _fixture.ConnectAsync(options: ClientFixture.FastOptions with { RequestTimeout = TimeSpan.FromMilliseconds(500) });
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Action = FaultActions.Hang, Count = 1 });

        var app = await session.Apps.GetByNameAsync("billing-api", CancellationToken.None);
        Assert.Equal("billing-api", app.Name);
    }

    [Fact]
    public async Task Giving_up_after_the_retries_is_a_clear_server_error()
    {
        using var session = await _fixture.ConnectAsync(options: ClientFixture.FastOptions with { MaxRetries = 2 });
        _fixture.Fake.State.ClearRequests();
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Status = 503 });

        var error = await Assert.ThrowsAsync<CfException>(() => session.Apps.GetByNameAsync("billing-api", CancellationToken.None));
        Assert.Equal(CfErrorKind.Server, error.Kind);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(3, StatusesOf("/v3/apps").Count);
    }

    [Fact]
    public async Task The_total_time_of_a_call_is_bounded()
    {
        using var session = await _fixture.ConnectAsync(options: ClientFixture.FastOptions with
        {
            RequestTimeout = TimeSpan.FromSeconds(10),
            TotalTimeout = TimeSpan.FromMilliseconds(800),
        });
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Action = FaultActions.Hang });

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<CfException>(() => session.Apps.GetByNameAsync("billing-api", CancellationToken.None));
        Assert.Equal(CfErrorKind.Timeout, error.Kind);
        Assert.Equal(CfFailure.RequestTimeout, error.Failure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Cancelling_stops_a_hanging_call_at_once()
    {
        using var session = await _fixture.ConnectAsync(options: ClientFixture.FastOptions with { RequestTimeout = TimeSpan.FromMinutes(1) });
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Action = FaultActions.Hang });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.Apps.GetByNameAsync("billing-api", cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Each_retry_is_told_on_the_verbose_stream()
    {
        using var session = await _fixture.ConnectAsync();
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Status = 503, Count = 2 });
        var sink = new RecordingSink();

        using (CfDiagnostics.Use(sink))
            await session.Apps.GetByNameAsync("training-app", CancellationToken.None);

        Assert.Equal(2, sink.Verbose.Count(m => m.Contains("503", StringComparison.Ordinal) && m.Contains("retry", StringComparison.Ordinal)));
        Assert.Contains(sink.Verbose, m => m.StartsWith("GET ", StringComparison.Ordinal) && m.Contains("/v3/apps", StringComparison.Ordinal) && m.Contains(" 200 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_debug_trace_hides_the_authorization_header_and_token_bodies()
    {
        var sink = new RecordingSink { IsDebugEnabled = true };
        CfSession session;
        using (CfDiagnostics.Use(sink))
        {
            session = await _fixture.ConnectAsync();
            await session.Apps.GetByNameAsync("training-app", CancellationToken.None);
        }
        using var _ = session;
        var token = await session.Tokens.GetAccessTokenAsync(CancellationToken.None);
        var trace = string.Join('\n', sink.Debug);

        Assert.Contains("Authorization: [PRIVATE DATA HIDDEN]", trace, StringComparison.Ordinal);
        Assert.Contains("\"access_token\":\"[PRIVATE DATA HIDDEN]\"", trace, StringComparison.Ordinal);
        Assert.Contains("password=[PRIVATE DATA HIDDEN]", trace, StringComparison.Ordinal);
        Assert.DoesNotContain(token, trace, StringComparison.Ordinal);
        Assert.DoesNotContain("developer-password", trace, StringComparison.Ordinal);
    }

    private sealed class RecordingSink : ICfDiagnosticsSink
    {
        public List<string> Verbose { get; } = [];
        public List<string> Debug { get; } = [];
        public bool IsDebugEnabled { get; init; }
        void ICfDiagnosticsSink.Verbose(string message) { lock (Verbose) Verbose.Add(message); }
        void ICfDiagnosticsSink.Debug(string message) { lock (Debug) Debug.Add(message); }
    }
}
