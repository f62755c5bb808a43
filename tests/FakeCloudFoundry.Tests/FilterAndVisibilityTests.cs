using System.Net;
using System.Text.Json.Nodes;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Tests;

public sealed class FilterAndVisibilityTests : IAsyncLifetime
{
    private FakeSession _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSession.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Sequence_ids_are_rejected_on_all_tasks_but_accepted_per_app()
    {
        var app = _fake.App();
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 5 });
        var token = await _fake.LoginAsync();

        var rejected = await _fake.GetAsync("/v3/tasks?sequence_ids=1", token);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.Status);
        Assert.Equal("CF-BadQueryParameter", rejected.FirstError["title"]!.GetValue<string>());
        Assert.Contains("Unknown query parameter(s): 'sequence_ids'", rejected.ErrorDetail);

        var perApp = await _fake.GetAsync($"/v3/apps/{app.Guid}/tasks?sequence_ids=2,4&per_page=1&page=1", token);
        Assert.Equal(HttpStatusCode.OK, perApp.Status);
        Assert.Equal(2, perApp.Body["pagination"]!["total_results"]!.GetValue<int>());
        Assert.Equal(2, perApp.Body["resources"]![0]!["sequence_id"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("space_guids")]
    [InlineData("app_guids")]
    [InlineData("organization_guids")]
    public async Task App_tasks_reject_the_cross_app_filters(string filter)
    {
        var token = await _fake.LoginAsync();
        var reply = await _fake.GetAsync($"/v3/apps/{_fake.App().Guid}/tasks?{filter}=x", token);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains($"'{filter}'", reply.ErrorDetail);
    }

    [Fact]
    public async Task Task_filters_combine_names_states_guids_labels_and_apps()
    {
        var training = _fake.App();
        var billing = _fake.App("billing-api");
        _fake.State.BulkTasks(training.Guid, new BulkTaskSpec { Count = 3, State = "SUCCEEDED", NamePrefix = "nightly", Labels = new() { ["env"] = "prod" } });
        _fake.State.BulkTasks(training.Guid, new BulkTaskSpec { Count = 2, State = "FAILED", NamePrefix = "nightly" });
        _fake.State.BulkTasks(billing.Guid, new BulkTaskSpec { Count = 4, State = "RUNNING", NamePrefix = "invoice", Labels = new() { ["env"] = "dev" } });
        var token = await _fake.LoginAsync();

        async Task<int> Count(string query) => (await _fake.GetAsync("/v3/tasks?" + query, token)).Body["pagination"]!["total_results"]!.GetValue<int>();

        Assert.Equal(9, await Count(""));
        Assert.Equal(2, await Count("states=FAILED"));
        Assert.Equal(6, await Count("states=FAILED,RUNNING"));
        Assert.Equal(3, await Count("names=nightly-1,invoice-4"));
        Assert.Equal(0, await Count("names=NIGHTLY-1"));
        Assert.Equal(4, await Count("app_guids=" + billing.Guid));
        Assert.Equal(3, await Count("label_selector=env%3Dprod"));
        Assert.Equal(6, await Count("label_selector=env!%3Dprod"));
        Assert.Equal(7, await Count("label_selector=env"));
        Assert.Equal(2, await Count("label_selector=!env"));
        Assert.Equal(4, await Count("label_selector=" + Uri.EscapeDataString("env in (dev,qa)")));
        var guid = _fake.State.TasksOf(training.Guid)[0].Guid;
        Assert.Equal(1, await Count("guids=" + guid));
        Assert.Equal(0, await Count("states=BOGUS"));
    }

    [Fact]
    public async Task Apps_are_found_by_exact_name_in_a_space_and_users_only_see_their_spaces()
    {
        var demo = _fake.State.FindSpace("demo-space")!;
        var developer = await _fake.LoginAsync("developer");
        var auditor = await _fake.LoginAsync("auditor");

        var byName = await _fake.GetAsync($"/v3/apps?names=training-app&space_guids={demo.Guid}", developer);
        Assert.Equal(_fake.App().Guid, byName.Body["resources"]!.AsArray().Single()!["guid"]!.GetValue<string>());

        Assert.Equal(2, (await _fake.GetAsync("/v3/apps?names=training-app", developer)).Body["resources"]!.AsArray().Count);
        Assert.Single((await _fake.GetAsync("/v3/apps?names=training-app", auditor)).Body["resources"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await _fake.GetAsync($"/v3/apps/{_fake.App("training-app", "other-space").Guid}", auditor)).Status);

        var orgs = await _fake.GetAsync("/v3/organizations?names=demo-org&page=1&per_page=1", developer);
        Assert.Equal("demo-org", orgs.Body["resources"]![0]!["name"]!.GetValue<string>());
        Assert.Empty((await _fake.GetAsync("/v3/organizations?names=second-org", developer)).Body["resources"]!.AsArray());
        var spaces = await _fake.GetAsync($"/v3/spaces?names=demo-space&organization_guids={demo.Organization.Guid}&page=1&per_page=1", developer);
        Assert.Equal(demo.Guid, spaces.Body["resources"]![0]!["guid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Command_is_never_in_the_all_tasks_list_and_hidden_from_auditors_elsewhere()
    {
        var app = _fake.App();
        var developer = await _fake.LoginAsync("developer");
        var auditor = await _fake.LoginAsync("auditor");
        var admin = await _fake.LoginAsync("admin");
        var created = await _fake.StartTaskAsync(developer, app, new { command = "bin/rake secret:task" });
        Assert.Equal("bin/rake secret:task", created.Body["command"]!.GetValue<string>());
        var guid = created.Body["guid"]!.GetValue<string>();

        foreach (var token in new[] { admin, developer, auditor })
            Assert.False((await _fake.GetAsync("/v3/tasks", token)).Body["resources"]![0]!.AsObject().ContainsKey("command"));

        Assert.True((await _fake.GetAsync($"/v3/tasks/{guid}", developer)).Body.AsObject().ContainsKey("command"));
        Assert.True((await _fake.GetAsync($"/v3/apps/{app.Guid}/tasks", admin)).Body["resources"]![0]!.AsObject().ContainsKey("command"));
        Assert.False((await _fake.GetAsync($"/v3/tasks/{guid}", auditor)).Body.AsObject().ContainsKey("command"));
        Assert.False((await _fake.GetAsync($"/v3/apps/{app.Guid}/tasks", auditor)).Body["resources"]![0]!.AsObject().ContainsKey("command"));
    }

    [Fact]
    public async Task Auditors_may_read_but_not_create_or_cancel_tasks()
    {
        var app = _fake.App();
        var auditor = await _fake.LoginAsync("auditor");
        var created = await _fake.StartTaskAsync(auditor, app, new { command = "echo hi" });
        Assert.Equal(HttpStatusCode.Forbidden, created.Status);
        Assert.Equal(10003, created.ErrorCode);

        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 1, State = "RUNNING" });
        var cancel = await _fake.SendJsonAsync(HttpMethod.Post, $"/v3/tasks/{_fake.State.TasksOf(app.Guid)[0].Guid}/actions/cancel", auditor, null);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.Status);

        var otherSpace = _fake.App("training-app", "other-space");
        var hidden = await _fake.StartTaskAsync(auditor, otherSpace, new { command = "echo hi" });
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal("App not found", hidden.ErrorDetail);
    }

    [Fact]
    public async Task Processes_are_listed_and_found_by_type()
    {
        var token = await _fake.LoginAsync();
        var app = _fake.App();
        var list = await _fake.GetAsync($"/v3/apps/{app.Guid}/processes", token);
        Assert.Equal(["web", "task"], list.Body["resources"]!.AsArray().Select(p => p!["type"]!.GetValue<string>()));
        var task = await _fake.GetAsync($"/v3/apps/{app.Guid}/processes/task", token);
        Assert.Equal("tasks/default.sh", task.Body["command"]!.GetValue<string>());
        Assert.Equal(128, task.Body["memory_in_mb"]!.GetValue<int>());
        var missing = await _fake.GetAsync($"/v3/apps/{_fake.App("unstaged-app").Guid}/processes/task", token);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("Process not found", missing.ErrorDetail);
    }
}
