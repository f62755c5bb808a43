using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Tests;

/// <summary>What a task record carries beyond its command: the droplet it runs, labels and annotations.</summary>
public sealed class TaskRecordTests : IAsyncLifetime
{
    private FakeSession _fake = null!;
    private string _developer = "";

    public async Task InitializeAsync()
    {
        _fake = await FakeSession.StartAsync();
        _developer = await _fake.LoginAsync();
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    // ----- droplets -----

    [Fact]
    public async Task A_task_runs_the_droplet_it_asks_for_among_the_apps_droplets()
    {
        var app = _fake.App();
        var added = await _fake.SendJsonAsync(HttpMethod.Post, $"/_fake/apps/{app.Guid}/droplets", null, new { current = false });
        Assert.Equal(HttpStatusCode.Created, added.Status);
        var older = added.Body["guid"]!.GetValue<string>();
        Assert.NotEqual(app.DropletGuid, older);

        var task = await _fake.StartTaskAsync(_developer, app, new { command = "bin/migrate", droplet_guid = older });
        Assert.Equal(HttpStatusCode.Accepted, task.Status);
        Assert.Equal(older, task.Body["droplet_guid"]!.GetValue<string>());
        Assert.EndsWith("/v3/droplets/" + older, task.Body["links"]!["droplet"]!["href"]!.GetValue<string>());
        var byDefault = await _fake.StartTaskAsync(_developer, app, new { command = "bin/migrate" });
        Assert.Equal(app.DropletGuid, byDefault.Body["droplet_guid"]!.GetValue<string>());

        var droplet = await _fake.GetAsync(task.Body["links"]!["droplet"]!["href"]!.GetValue<string>(), _developer);
        Assert.Equal(HttpStatusCode.OK, droplet.Status);
        Assert.Equal(["guid", "created_at", "updated_at", "state", "error", "lifecycle", "checksum", "buildpacks", "stack", "image",
            "execution_metadata", "process_types", "relationships", "metadata", "links"], droplet.Body.AsObject().Select(p => p.Key));
        Assert.Equal("STAGED", droplet.Body["state"]!.GetValue<string>());
        Assert.Equal("tasks/default.sh", droplet.Body["process_types"]!["task"]!.GetValue<string>());
        Assert.Equal(app.Guid, droplet.Body["relationships"]!["app"]!["data"]!["guid"]!.GetValue<string>());

        var list = await _fake.GetAsync($"/v3/apps/{app.Guid}/droplets", _developer);
        Assert.Equal([app.DropletGuid, older], list.Body["resources"]!.AsArray().Select(d => d!["guid"]!.GetValue<string>()));
        Assert.All(list.Body["resources"]!.AsArray(), d =>
        {
            Assert.Equal("[PRIVATE DATA HIDDEN IN LISTS]", d!["execution_metadata"]!.GetValue<string>());
            Assert.Equal("[PRIVATE DATA HIDDEN IN LISTS]", d["process_types"]!["redacted_message"]!.GetValue<string>());
        });
        var current = await _fake.GetAsync($"/v3/apps/{app.Guid}/droplets?current=true", _developer);
        Assert.Equal(app.DropletGuid, current.Body["resources"]!.AsArray().Single()!["guid"]!.GetValue<string>());
        Assert.Equal(app.DropletGuid, (await _fake.GetAsync($"/v3/apps/{app.Guid}/droplets/current", _developer)).Body["guid"]!.GetValue<string>());
        Assert.Equal("The query parameter is invalid: Current only accepts the value 'true'",
            (await _fake.GetAsync($"/v3/apps/{app.Guid}/droplets?current=false", _developer)).ErrorDetail);
    }

    [Fact]
    public async Task A_droplet_that_is_not_the_apps_is_not_found()
    {
        var app = _fake.App();
        var otherApps = _fake.App("billing-api").DropletGuid!;
        foreach (var guid in new[] { otherApps, Guid.NewGuid().ToString() })
        {
            var reply = await _fake.StartTaskAsync(_developer, app, new { command = "bin/migrate", droplet_guid = guid });
            Assert.Equal(HttpStatusCode.NotFound, reply.Status);
            Assert.Equal("CF-ResourceNotFound", reply.FirstError["title"]!.GetValue<string>());
            Assert.Equal("Droplet not found", reply.ErrorDetail);
        }
        Assert.Equal("Droplet guid must be between 1 and 200 characters",
            (await _fake.StartTaskAsync(_developer, app, new { command = "x", droplet_guid = "" })).ErrorDetail);

        var auditor = await _fake.LoginAsync("auditor");
        var hiddenApp = _fake.App("training-app", "other-space");
        Assert.Equal("App not found", (await _fake.StartTaskAsync(auditor, hiddenApp, new { command = "x", droplet_guid = "nope" })).ErrorDetail);
        Assert.Equal("Droplet not found", (await _fake.GetAsync($"/v3/droplets/{hiddenApp.DropletGuid}", auditor)).ErrorDetail);
        var censored = await _fake.GetAsync($"/v3/droplets/{app.DropletGuid}", auditor);
        Assert.Equal("[PRIVATE DATA HIDDEN]", censored.Body["execution_metadata"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_app_without_a_current_droplet_runs_tasks_only_on_a_droplet_named_in_the_request()
    {
        var app = _fake.App("unstaged-app");
        var none = await _fake.StartTaskAsync(_developer, app, new { command = "bin/x" });
        Assert.Equal("Task must have a droplet. Specify droplet or assign current droplet to app.", none.ErrorDetail);

        var droplet = _fake.State.AddDroplet(app.Guid, new DropletSpec());
        Assert.Null(_fake.App("unstaged-app").DropletGuid);
        Assert.Equal(404, (int)(await _fake.GetAsync($"/v3/apps/{app.Guid}/droplets/current", _developer)).Status);
        var named = await _fake.StartTaskAsync(_developer, app, new { command = "bin/x", droplet_guid = droplet.Guid });
        Assert.Equal(HttpStatusCode.Accepted, named.Status);
        Assert.Equal(droplet.Guid, named.Body["droplet_guid"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_template_process_may_come_from_any_app_as_CC_only_looks_it_up()
    {
        var template = _fake.App("billing-api").FindProcess("web")!;
        var reply = await _fake.StartTaskAsync(_developer, _fake.App(), new { template = new { process = new { guid = template.Guid } } });
        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        Assert.Equal("bundle exec rackup", reply.Body["command"]!.GetValue<string>());
        Assert.Equal(1024, reply.Body["disk_in_mb"]!.GetValue<int>());
    }

    // ----- metadata -----

    public static TheoryData<string, string> BadMetadata => new()
    {
        { """{"labels":{"cloudfoundry.org/release":"stable"}}""", "Metadata label key error: prefix 'cloudfoundry.org' is reserved" },
        { """{"labels":{"CloudFoundry.org/release":"stable"}}""", "Metadata label key error: prefix 'cloudfoundry.org' is reserved" },
        { """{"labels":{"bad_prefix!/k":"v"}}""", "Metadata label key error: prefix 'bad_prefix!' must be in valid dns format" },
        { """{"labels":{"onlycom/k":"v"}}""", "Metadata label key error: prefix 'onlycom' must be in valid dns format" },
        { "{\"labels\":{\"" + string.Join(".", Enumerable.Repeat(new string('a', 60), 5)) + "/k\":\"v\"}}", "Metadata label key error: prefix 'aaaaaaaa...' is greater than 253 characters" },
        { """{"labels":{"a/b/c":"v"}}""", "Metadata label key error: key has more than one '/'" },
        { """{"labels":{"example.com/":"v"}}""", "Metadata label key error: key cannot be empty string" },
        { """{"labels":{"sp ace":"v"}}""", "Metadata label key error: 'sp ace' contains invalid characters" },
        { """{"labels":{"-lead":"v"}}""", "Metadata label key error: '-lead' starts or ends with invalid characters" },
        { "{\"labels\":{\"" + new string('k', 64) + "\":\"v\"}}", "Metadata label key error: 'kkkkkkkk...' is greater than 63 characters" },
        { """{"labels":{"env":"prod!"}}""", "Metadata label value error: 'prod!' contains invalid characters" },
        { """{"labels":{"env":"_prod"}}""", "Metadata label value error: '_prod' starts or ends with invalid characters" },
        { "{\"labels\":{\"env\":\"" + new string('v', 64) + "\"}}", "Metadata label value error: 'vvvvvvvv...' is greater than 63 characters" },
        { "{\"annotations\":{\"note\":\"" + new string('n', 5001) + "\"}}", "Metadata annotation value error: 'nnnnnnnn...' is greater than 5000 characters" },
        { """{"annotations":{"bad key":"v"}}""", "Metadata annotation key error: 'bad key' contains invalid characters" },
        { """{"labels":"env=prod"}""", "Metadata 'labels' is not an object" },
        { """{"labels":{},"tags":{},"owner":{}}""", "Metadata has unexpected field(s): 'tags' 'owner'" },
        { "\"labels\"", "Metadata must be an object" },
        { """{"labels":{"a b":"c d"}}""", "Metadata label key error: 'a b' contains invalid characters, Metadata label value error: 'c d' contains invalid characters" },
    };

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public async Task Bad_metadata_is_unprocessable_with_CCs_text_on_create_and_on_update(string metadata, string detail)
    {
        var app = _fake.App();
        var create = await _fake.SendJsonAsync(HttpMethod.Post, $"/v3/apps/{app.Guid}/tasks", _developer, "{\"command\":\"x\",\"metadata\":" + metadata + "}");
        AssertUnprocessable(create, detail);

        var task = (await _fake.StartTaskAsync(_developer, app, new { command = "x" })).Body["guid"]!.GetValue<string>();
        var update = await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{task}", _developer, "{\"metadata\":" + metadata + "}");
        AssertUnprocessable(update, detail);
        var unknownTask = await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{Guid.NewGuid()}", _developer, "{\"metadata\":" + metadata + "}");
        AssertUnprocessable(unknownTask, detail); // CC validates the body before it looks the task up
    }

    [Fact]
    public async Task Metadata_at_the_limits_is_accepted_and_null_removes_a_key()
    {
        var labels = new JsonObject
        {
            ["example.com/tier"] = "gold", ["under_score"] = new string('v', 63), ["empty"] = "", ["x"] = "y",
            ["CloudFoundry.org.example/k"] = "v",
        };
        var annotations = new JsonObject { ["note"] = new string('n', 5000), ["bad key"] = null };
        var body = new JsonObject { ["command"] = "x", ["metadata"] = new JsonObject { ["labels"] = labels, ["annotations"] = annotations } };
        var created = await _fake.SendJsonAsync(HttpMethod.Post, $"/v3/apps/{_fake.App().Guid}/tasks", _developer, body.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        Assert.Equal(5, created.Body["metadata"]!["labels"]!.AsObject().Count);
        Assert.Equal(["note"], created.Body["metadata"]!["annotations"]!.AsObject().Select(p => p.Key));
        var guid = created.Body["guid"]!.GetValue<string>();
        var updatedAt = created.Body["updated_at"]!.GetValue<string>();
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(0.5));

        var patched = await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{guid}", _developer,
            """{"metadata":{"labels":{"x":null,"new":"label"},"annotations":{"note":null,"owner":"ops team"}}}""");
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("x", patched.Body["command"]!.GetValue<string>());
        Assert.Equal(["example.com/tier", "under_score", "empty", "CloudFoundry.org.example/k", "new"], patched.Body["metadata"]!["labels"]!.AsObject().Select(p => p.Key));
        Assert.Equal("""{"owner":"ops team"}""", patched.Body["metadata"]!["annotations"]!.ToJsonString());
        Assert.Equal(updatedAt, patched.Body["updated_at"]!.GetValue<string>()); // labels live beside the task row

        var selected = await _fake.GetAsync("/v3/tasks?label_selector=new%3Dlabel", _developer);
        Assert.Equal(guid, selected.Body["resources"]!.AsArray().Single()!["guid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_metadata_may_change_and_only_developers_and_admins_may_change_it()
    {
        var app = _fake.App();
        var guid = (await _fake.StartTaskAsync(_developer, app, new { command = "x" })).Body["guid"]!.GetValue<string>();
        AssertUnprocessable(await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{guid}", _developer, new { command = "y", name = "z" }),
            "Unknown field(s): 'command', 'name'");
        AssertUnprocessable(await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{guid}", _developer, """{"metadata":{"labels":{"-a":"b"}},"state":"FAILED"}"""),
            "Metadata label key error: '-a' starts or ends with invalid characters, Unknown field(s): 'state'");

        var auditor = await _fake.LoginAsync("auditor");
        var forbidden = await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{guid}", auditor, new { metadata = new { labels = new { a = "b" } } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal("CF-NotAuthorized", forbidden.FirstError["title"]!.GetValue<string>());

        var elsewhere = (await _fake.StartTaskAsync(_developer, _fake.App("training-app", "other-space"), new { command = "x" })).Body["guid"]!.GetValue<string>();
        var hidden = await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{elsewhere}", auditor, new { metadata = new { labels = new { a = "b" } } });
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal("Task not found", hidden.ErrorDetail);

        var admin = await _fake.LoginAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await _fake.SendJsonAsync(HttpMethod.Patch, $"/v3/tasks/{elsewhere}", admin, new { metadata = new { labels = new { a = "b" } } })).Status);
    }

    private static void AssertUnprocessable(Reply reply, string detail)
    {
        Assert.Equal((HttpStatusCode)422, reply.Status);
        Assert.Equal("CF-UnprocessableEntity", reply.FirstError["title"]!.GetValue<string>());
        Assert.Equal(10008, reply.ErrorCode);
        Assert.Equal(detail, reply.ErrorDetail);
    }
}
