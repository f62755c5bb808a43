using System.Net;
using System.Text.Json.Nodes;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Tests;

/// <summary>
/// Keeps the fake honest: its bodies must have the same keys, nesting, value kinds and key order as the real-CF
/// examples in tests/reference/fixtures. Values (guids, hosts, times) may differ.
/// </summary>
public sealed class FixtureComparisonTests : IAsyncLifetime
{
    private static readonly JsonShape Strict = new();

    /// <summary>error-not-found.json and error-invalid-auth-token.json are cf CLI test stubs written code-first; the
    /// reference (§3.2) says CC itself emits detail, title, code — which the fake does and error-unprocessable.json shows.</summary>
    private static readonly JsonShape AnyKeyOrder = new() { CompareKeyOrder = false };

    private FakeSession _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSession.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Root_document_matches_the_reference_except_the_V2_link_real_CC_omits_by_default()
    {
        var expected = ReferenceFixtures.Load("root.json");
        expected["links"]!.AsObject().Remove("cloud_controller_v2");
        var actual = await _fake.GetAsync("/", token: null);
        Strict.AssertSame(expected, actual.Body);
    }

    [Fact]
    public async Task Info_matches_the_reference() =>
        Strict.AssertSame(ReferenceFixtures.Load("info.json"), (await _fake.GetAsync("/v3/info", null)).Body);

    [Fact]
    public async Task Password_grant_token_matches_the_reference()
    {
        var reply = await _fake.PasswordGrantAsync("developer", "developer-password");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Strict.AssertSame(ReferenceFixtures.Load("uaa-token.json"), reply.Body);
    }

    [Fact]
    public async Task Uaa_errors_match_the_reference()
    {
        var badPassword = await _fake.PasswordGrantAsync("developer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, badPassword.Status);
        Strict.AssertSame(ReferenceFixtures.Load("uaa-error-bad-credentials.json"), badPassword.Body);
        Assert.Equal("invalid_client", badPassword.Body["error"]!.GetValue<string>());

        var badRefresh = await _fake.FormAsync("/login/oauth/token", "grant_type=refresh_token&refresh_token=0123456789abcdef0123456789abcdef-r", "cf:");
        Assert.Equal(HttpStatusCode.Unauthorized, badRefresh.Status);
        Strict.AssertSame(ReferenceFixtures.Load("uaa-error-invalid-refresh-token.json"), badRefresh.Body);
        Assert.Equal(ReferenceFixtures.Load("uaa-error-invalid-refresh-token.json").ToJsonString(), badRefresh.Body.ToJsonString());
    }

    [Fact]
    public async Task Organizations_list_matches_the_reference()
    {
        var token = await _fake.LoginAsync("admin");
        Strict.AssertSame(ReferenceFixtures.Load("organizations-list.json"), (await _fake.GetAsync("/v3/organizations", token)).Body);
    }

    /// <summary>The fake has no space quotas, so every space is compared with the reference's quota-less first space
    /// (the second one shows a space with a quota: <c>quota.data</c> object plus a <c>quota</c> link).</summary>
    [Fact]
    public async Task Spaces_list_matches_the_reference()
    {
        var expected = ReferenceFixtures.Load("spaces-list.json");
        expected["resources"]!.AsArray().RemoveAt(1);
        var token = await _fake.LoginAsync("admin");
        Strict.AssertSame(expected, (await _fake.GetAsync("/v3/spaces", token)).Body);
    }

    [Fact]
    public async Task App_matches_the_reference()
    {
        var token = await _fake.LoginAsync();
        Strict.AssertSame(ReferenceFixtures.Load("app.json"), (await _fake.GetAsync($"/v3/apps/{_fake.App().Guid}", token)).Body);
    }

    [Fact]
    public async Task Apps_list_page_matches_the_reference()
    {
        var token = await _fake.LoginAsync();
        Strict.AssertSame(ReferenceFixtures.Load("apps-list.json"), (await _fake.GetAsync("/v3/apps?per_page=2", token)).Body);
    }

    [Fact]
    public async Task Process_matches_the_reference()
    {
        var token = await _fake.LoginAsync();
        Strict.AssertSame(ReferenceFixtures.Load("process.json"), (await _fake.GetAsync($"/v3/apps/{_fake.App().Guid}/processes/web", token)).Body);
    }

    [Fact]
    public async Task Created_task_matches_the_reference()
    {
        var token = await _fake.LoginAsync();
        var reply = await _fake.StartTaskAsync(token, _fake.App(), new { command = "rake db:migrate", name = "migrate", memory_in_mb = 512 });
        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        Strict.AssertSame(ReferenceFixtures.Load("task.json"), reply.Body);
    }

    [Fact]
    public async Task Tasks_list_page_matches_the_reference_including_the_missing_command()
    {
        var app = _fake.App();
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 1, State = "SUCCEEDED", NamePrefix = "hello" });
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 1, State = "FAILED", NamePrefix = "migrate" });
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 1, State = "SUCCEEDED", NamePrefix = "third" });
        var token = await _fake.LoginAsync("admin");
        Strict.AssertSame(ReferenceFixtures.Load("tasks-page-1.json"), (await _fake.GetAsync("/v3/tasks?per_page=2", token)).Body);
    }

    [Fact]
    public async Task Not_found_error_matches_the_reference()
    {
        var token = await _fake.LoginAsync();
        var reply = await _fake.GetAsync("/v3/apps/00000000-0000-0000-0000-000000000000/tasks", token);
        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        AnyKeyOrder.AssertSame(ReferenceFixtures.Load("error-not-found.json"), reply.Body);
        AssertSameValues(ReferenceFixtures.Load("error-not-found.json"), reply.Body);
        AssertCcErrorKeyOrder(reply.Body);
    }

    [Fact]
    public async Task Invalid_token_error_matches_the_reference()
    {
        var reply = await _fake.GetAsync("/v3/apps", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        AnyKeyOrder.AssertSame(ReferenceFixtures.Load("error-invalid-auth-token.json"), reply.Body);
        AssertSameValues(ReferenceFixtures.Load("error-invalid-auth-token.json"), reply.Body);
        AssertCcErrorKeyOrder(reply.Body);
    }

    [Fact]
    public async Task Cancel_of_a_finished_task_error_matches_the_reference()
    {
        var app = _fake.App();
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 1, State = "SUCCEEDED" });
        var token = await _fake.LoginAsync();
        var reply = await _fake.SendJsonAsync(HttpMethod.Post, $"/v3/tasks/{_fake.State.TasksOf(app.Guid)[0].Guid}/actions/cancel", token, null);
        Assert.Equal((HttpStatusCode)422, reply.Status);
        Strict.AssertSame(ReferenceFixtures.Load("error-unprocessable.json"), reply.Body);
        AssertSameValues(ReferenceFixtures.Load("error-unprocessable.json"), reply.Body);
    }

    [Fact]
    public async Task Log_cache_info_matches_the_reference() =>
        Strict.AssertSame(ReferenceFixtures.Load("logcache-info.json"), (await _fake.GetAsync("/log-cache/api/v1/info", null)).Body);

    [Fact]
    public async Task Log_cache_read_of_a_task_matches_the_reference_envelope_for_envelope()
    {
        var token = await _fake.LoginAsync();
        var app = _fake.App();
        var created = await _fake.StartTaskAsync(token, app, new
        {
            command = "echo Running database migrations; echo WARNING: schema cache is stale >&2; echo Migrated 3 tables",
            name = "migrate",
        });
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(5));

        var expected = ReferenceFixtures.Load("logcache-read.json");
        var actual = (await _fake.GetAsync($"/log-cache/api/v1/read/{app.Guid}", token)).Body;
        Strict.AssertSame(expected, actual);
        Assert.Equal(Lines(expected).Select(l => l.Kind), Lines(actual).Select(l => l.Kind));
        Assert.Equal(Lines(expected).Select(l => l.Text.Replace("6c1e1f2a-7d3b-4f5e-9a8b-2c4d6e8f0a1b", "<cell>").Replace("d5cc22ec-99a3-4e6a-af91-a44b4ab7b6fa", "<task>")),
            Lines(actual).Select(l => System.Text.RegularExpressions.Regex.Replace(l.Text.Replace(created.Body["guid"]!.GetValue<string>(), "<task>"), "^Cell [0-9a-f-]{36}", "Cell <cell>")));
    }

    [Fact]
    public void The_comparison_notices_a_renamed_a_missing_a_retyped_and_a_reordered_field()
    {
        var reference = ReferenceFixtures.Load("task.json");

        var renamed = reference.DeepClone().AsObject();
        renamed["log_rate_limit_per_second"] = renamed["log_rate_limit_in_bytes_per_second"]!.DeepClone();
        renamed.Remove("log_rate_limit_in_bytes_per_second");
        Assert.NotEmpty(Strict.Differences(reference, renamed));

        var missing = reference.DeepClone().AsObject();
        missing["links"]!.AsObject().Remove("cancel");
        Assert.NotEmpty(Strict.Differences(reference, missing));

        var retyped = reference.DeepClone().AsObject();
        retyped["sequence_id"] = "1";
        Assert.NotEmpty(Strict.Differences(reference, retyped));

        var reordered = new JsonObject();
        foreach (var (key, value) in reference.AsObject().Reverse()) reordered[key] = value!.DeepClone();
        Assert.NotEmpty(Strict.Differences(reference, reordered));
        Assert.Empty(AnyKeyOrder.Differences(reference, reordered));
    }

    private static void AssertSameValues(JsonNode expected, JsonNode actual)
    {
        var expectedError = expected["errors"]![0]!;
        var actualError = actual["errors"]![0]!;
        foreach (var key in new[] { "detail", "title", "code" })
            Assert.Equal(expectedError[key]!.ToJsonString(), actualError[key]!.ToJsonString());
    }

    private static void AssertCcErrorKeyOrder(JsonNode body) =>
        Assert.Equal(["detail", "title", "code"], body["errors"]![0]!.AsObject().Select(p => p.Key));

    private static IEnumerable<(string Kind, string Text)> Lines(JsonNode body) =>
        body["envelopes"]!["batch"]!.AsArray().Select(e => (
            e!["tags"]!["source_type"]!.GetValue<string>() + " " + e["log"]!["type"]!.GetValue<string>(),
            System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(e["log"]!["payload"]!.GetValue<string>()))));
}
