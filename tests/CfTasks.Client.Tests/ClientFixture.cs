using System.Net;
using CfTasks.Client;
using CfTasks.Client.Http;
using CfTasks.Client.Services;

namespace CfTasks.Client.Tests;

/// <summary>One fake per test class (in-process on .NET, its own process for the Desktop suite); helpers to open client sessions against it.</summary>
public sealed class ClientFixture : IAsyncLifetime
{
    public IFakeHost Fake { get; private set; } = null!;

    public Uri Api => Fake.BaseUrl;

    public async Task InitializeAsync() => Fake = await FakeHost.StartAsync();

    public async Task DisposeAsync() => await Fake.DisposeAsync();

    /// <summary>Fast retries so fault tests don't wait for production backoff.</summary>
    public static CfClientOptions FastOptions => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(10),
        MaxRetries = 6,
    };

    /// <summary>A session as a seed user (default: the developer in demo-org/demo-space), with fast retries and polling.</summary>
    public async Task<CfSession> ConnectAsync(string user = "developer", string password = "developer-password", CfClientOptions? options = null,
        string? org = "demo-org", string? space = "demo-space")
    {
        var session = await CfSession.ConnectAsync(
            new CfConnectRequest(Api, new CfCredential.Password(new NetworkCredential(user, password)))
            {
                Organization = org,
                Space = space,
                Options = options ?? FastOptions,
            },
            CancellationToken.None);
        session.Tasks.Waiter.PollInterval = TimeSpan.FromMilliseconds(50);
        session.Tasks.Starter.RetryDelay = TimeSpan.FromMilliseconds(5);
        return session;
    }

    /// <summary>Requests since the last clear whose path matches exactly.</summary>
    public IReadOnlyList<FakeCloudFoundry.State.RecordedRequest> RequestsTo(string method, string path) =>
        Fake.State.Requests().Where(r => r.Method == method && r.Path == path).ToList();

    public Task<CfSession> ConnectClientAsync(string clientId = "cftasks-ci", string secret = "ci-client-secret", CfClientOptions? options = null) =>
        CfSession.ConnectAsync(
            new CfConnectRequest(Api, new CfCredential.ClientCredentials(new NetworkCredential(clientId, secret)))
            {
                Organization = "demo-org",
                Space = "demo-space",
                Options = options ?? FastOptions,
            },
            CancellationToken.None);

    public int TokenRequests() => Fake.State.Requests().Count(r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
}

/// <summary>Reading a stream whole, for assertions.</summary>
public static class AsyncLists
{
    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }
}

/// <summary>A clock tests move by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
