using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FakeCloudFoundry.Model;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Tests;

/// <summary>A started fake plus an HttpClient that speaks to it the way a CF client would.</summary>
internal sealed class FakeSession : IAsyncDisposable
{
    private FakeSession(FakeCloudFoundryServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public FakeCloudFoundryServer Server { get; }
    public FakeState State => Server.State;
    public HttpClient Http { get; }
    public string Api => Server.BaseUrl.ToString();

    public static async Task<FakeSession> StartAsync(FakeServerOptions? options = null) =>
        new(await FakeCloudFoundryServer.StartAsync(options));

    public CfApp App(string appName = "training-app", string spaceName = "demo-space") =>
        State.FindApp(spaceName, appName) ?? throw new InvalidOperationException($"no app {appName} in {spaceName}");

    /// <summary>Password grant exactly as the cf CLI sends it; returns the access token.</summary>
    public async Task<string> LoginAsync(string user = "developer")
    {
        var response = await PasswordGrantAsync(user, user + "-password");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json!["access_token"]!.GetValue<string>();
    }

    public Task<Reply> PasswordGrantAsync(string user, string password, string path = "/login/oauth/token")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent($"grant_type=password&password={Uri.EscapeDataString(password)}&username={Uri.EscapeDataString(user)}",
                Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Y2Y6");
        return SendAsync(request);
    }

    public Task<Reply> FormAsync(string path, string form, string? basic = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (basic is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        return SendAsync(request);
    }

    public Task<Reply> GetAsync(string pathOrUrl, string? token) => SendAsync(Build(HttpMethod.Get, pathOrUrl, token, null));

    public Task<Reply> SendJsonAsync(HttpMethod method, string pathOrUrl, string? token, object? body) =>
        SendAsync(Build(method, pathOrUrl, token, body));

    public async Task<Reply> StartTaskAsync(string token, CfApp app, object body)
    {
        var reply = await SendJsonAsync(HttpMethod.Post, $"/v3/apps/{app.Guid}/tasks", token, body);
        return reply;
    }

    public async Task<Reply> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
            json = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions());
        return new Reply(response.StatusCode, text, json, response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
    }

    public static HttpRequestMessage Build(HttpMethod method, string pathOrUrl, string? token, object? body)
    {
        var request = new HttpRequestMessage(method, pathOrUrl);
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "bearer " + token);
        if (body is not null) request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>A response read completely: status, text, parsed JSON (when JSON), headers (case-insensitive).</summary>
internal sealed record Reply(HttpStatusCode Status, string Text, JsonNode? Json, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Body => Json ?? throw new InvalidOperationException($"not JSON ({(int)Status}): {Text}");

    public JsonObject FirstError => Body["errors"]![0]!.AsObject();

    public int ErrorCode => FirstError["code"]!.GetValue<int>();

    public string ErrorDetail => FirstError["detail"]!.GetValue<string>();
}
