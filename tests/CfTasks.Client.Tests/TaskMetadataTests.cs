using System.Text.Json;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.State;
using CfApp = CfTasks.CfApp;

namespace CfTasks.Client.Tests;

/// <summary>Tasks as records: labels and annotations on start and afterwards, and the droplet a task runs on.</summary>
public sealed class TaskMetadataTests : IClassFixture<ClientFixture>
{
    private readonly ClientFixture _fixture;
    private IFakeControls State => _fixture.Fake.State;

    public TaskMetadataTests(ClientFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    private async Task<(CfSession Session, CfApp App)> ConnectWithAppAsync(string user = "developer", string password = "developer-password")
    {
        var session = await _fixture.ConnectAsync(user, password);
        return (session, await session.Apps.GetByNameAsync("training-app", CancellationToken.None));
    }

    private static Dictionary<string, string?> Map(params (string Key, string? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    // ------------------------------------------------------------------ labels and annotations on start

    [Fact]
    public async Task Start_sends_labels_and_annotations_as_the_tasks_metadata_beside_the_request_id_label()
    {
        var (session, app) = await ConnectWithAppAsync();

        var task = await session.Tasks.StartAsync(app, new TaskStartRequest
        {
            Command = "echo hi",
            Labels = Map(("build", "4711"), ("ci.example.com/stage", "smoke")),
            Annotations = Map(("ci.example.com/run", "https://dev.azure.com/org/project/_build/results?buildId=4711")),
        }, CancellationToken.None);

        var stored = State.GetTask(task.Guid)!;
        Assert.Equal("4711", stored.Metadata.Labels["build"]);
        Assert.Equal("smoke", stored.Metadata.Labels["ci.example.com/stage"]);
        Assert.Matches("^[0-9a-f]{32}$", stored.Metadata.Labels[TaskStarter.RequestIdLabel]);
        Assert.Equal("https://dev.azure.com/org/project/_build/results?buildId=4711", stored.Metadata.Annotations["ci.example.com/run"]);
        Assert.Equal(("4711", "smoke"), (task.Labels["build"], task.Labels["ci.example.com/stage"]));
        Assert.Equal(("training-app", "demo-space", "demo-org"), (task.AppName, task.SpaceName, task.OrganizationName));
    }

    public static TheoryData<string, string, string?> BadLabels => new()
    {
        { "two slashes", "a/b/c", "x" },
        { "a prefix that is not a DNS name", "not_dns/name", "x" },
        { "a prefix without a dot", "ci/build", "x" },
        { "the reserved prefix", "CloudFoundry.org/build", "x" },
        { "an empty name", "ci.example.com/", "x" },
        { "a space in the name", "my build", "x" },
        { "a name ending in a dash", "build-", "x" },
        { "a name of 64 characters", new string('b', 64), "x" },
        { "a value with a space", "build", "47 11" },
        { "a value starting with a dot", "build", ".4711" },
        { "a value of 64 characters", "build", new string('7', 64) },
        { "an empty key", "", "x" },
        { "a non-ASCII letter", "bäuild", "x" },
    };

    [Theory]
    [MemberData(nameof(BadLabels))]
    public async Task A_label_breaking_ccs_rules_is_refused_naming_its_key_before_any_request(string what, string key, string? value)
    {
        var (session, app) = await ConnectWithAppAsync();
        State.ClearRequests();

        var error = await Assert.ThrowsAsync<CfException>(() =>
            session.Tasks.StartAsync(app, new TaskStartRequest { Command = "echo hi", Labels = Map((key, value)) }, CancellationToken.None));

        Assert.True((error.Failure, error.Kind) == (CfFailure.InvalidMetadata, CfErrorKind.InvalidArgument), $"{what}: {error.Failure} {error.Message}");
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(key, error.Target);
        Assert.Empty(_fixture.RequestsTo("POST", $"/v3/apps/{app.Guid}/tasks"));
    }

    /// <summary>
    /// The client's rules and the fake's (which validates as CC's metadata validator does) agree, key by key: what the
    /// client refuses, CC would refuse with a 422; what it lets through, CC takes.
    /// </summary>
    [Theory]
    [InlineData("build", "4711")]
    [InlineData("a", "")]
    [InlineData("ci.example.com/build.id_7", "a-b_c.d")]
    [InlineData("sub.cloudfoundry.org/x", "y")]
    [InlineData("cloudfoundry.org/x", "y")]
    [InlineData("-build", "x")]
    [InlineData("x", "-")]
    [InlineData("a/b/c", "x")]
    [InlineData("ex_ample.com/x", "y")]
    [InlineData("example.com/x", "y z")]
    [InlineData(" ", "y")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123", "x")]
    [InlineData("x", "012345678901234567890123456789012345678901234567890123456789012")]
    public async Task Client_side_label_rules_agree_with_the_cloud_controller(string key, string value)
    {
        var (session, app) = await ConnectWithAppAsync();
        var task = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 60" }, CancellationToken.None);
        var clientSays = MetadataRules.LabelProblem(key, value);

        var body = JsonSerializer.Serialize(new { metadata = new { labels = new Dictionary<string, string> { [key] = value } } });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod("PATCH"), new Uri(_fixture.Api, $"/v3/tasks/{task.Guid}")) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("bearer", State.IssueAccessToken("developer"));
        using var response = await http.SendAsync(request);

        Assert.Equal(clientSays is null ? 200 : 422, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("ci.example.com/run", 5000, true)]
    [InlineData("ci.example.com/run", 5001, false)]
    [InlineData("a/b/c", 10, false)]
    public void Annotation_values_may_be_any_text_up_to_5000_characters_under_a_label_shaped_key(string key, int length, bool valid)
    {
        var value = string.Concat(Enumerable.Repeat("ä x/", length / 4 + 1))[..length];

        Assert.Equal(valid, MetadataRules.AnnotationProblem(key, value) is null);
        Assert.Null(MetadataRules.AnnotationProblem("a/b/c", null)); // removing needs no valid key, as in CC
    }

    [Fact]
    public async Task The_request_id_label_is_cftasks_own()
    {
        var (session, app) = await ConnectWithAppAsync();

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.StartAsync(app,
            new TaskStartRequest { Command = "x", Labels = Map((TaskStarter.RequestIdLabel, "0123456789abcdef0123456789abcdef")) }, CancellationToken.None));

        Assert.Equal(CfFailure.InvalidMetadata, error.Failure);
        Assert.Contains(TaskStarter.RequestIdLabel, error.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ changing them afterwards

    [Fact]
    public async Task Update_sets_and_removes_the_given_keys_and_keeps_the_others()
    {
        var (session, app) = await ConnectWithAppAsync();
        var task = await session.Tasks.StartAsync(app, new TaskStartRequest
        {
            Command = "sleep 60",
            Labels = Map(("build", "1"), ("temp", "yes")),
            Annotations = Map(("note", "first")),
        }, CancellationToken.None);
        State.ClearRequests();

        var updated = await session.Tasks.UpdateMetadataAsync(task, Map(("build", "2"), ("temp", null), ("reviewed", "true")), Map(("note", null), ("ticket", "OPS-1")),
            CancellationToken.None);

        Assert.Equal(["build=2", $"{TaskStarter.RequestIdLabel}={task.Labels[TaskStarter.RequestIdLabel]}", "reviewed=true"],
            updated.Labels.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(["ticket=OPS-1"], updated.Annotations.Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal(("training-app", "demo-space", "demo-org"), (updated.AppName, updated.SpaceName, updated.OrganizationName));
        var patch = Assert.Single(_fixture.RequestsTo("PATCH", $"/v3/tasks/{task.Guid}"));
        Assert.Equal(200, patch.Status);
        Assert.Equal("2", State.GetTask(task.Guid)!.Metadata.Labels["build"]);
        Assert.False(State.GetTask(task.Guid)!.Metadata.Labels.ContainsKey("temp"));
    }

    [Fact]
    public async Task Update_of_a_task_of_a_space_the_user_cannot_see_is_task_not_found_and_of_one_it_may_only_read_permission_denied()
    {
        var hidden = State.CreateApp(new AppSpec { Space = "second-space", Name = "elsewhere" });
        State.BulkTasks(hidden.Guid, new BulkTaskSpec { Count = 1 });
        var admin = await _fixture.ConnectAsync("admin", "admin-password");
        var otherSpaceTask = await admin.Tasks.GetAsync(State.TasksOf(hidden.Guid).Single().Guid, CancellationToken.None);
        var (developer, app) = await ConnectWithAppAsync();
        var ownTask = await developer.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 60" }, CancellationToken.None);
        var auditor = await _fixture.ConnectAsync("auditor", "auditor-password");

        var notFound = await Assert.ThrowsAsync<CfException>(() => developer.Tasks.UpdateMetadataAsync(otherSpaceTask, Map(("a", "b")), null, CancellationToken.None));
        var denied = await Assert.ThrowsAsync<CfException>(() => auditor.Tasks.UpdateMetadataAsync(ownTask, Map(("a", "b")), null, CancellationToken.None));

        Assert.Equal((CfFailure.TaskNotFound, CfErrorKind.NotFound, 404), (notFound.Failure, notFound.Kind, notFound.StatusCode));
        Assert.Contains("elsewhere", notFound.Message, StringComparison.Ordinal);
        Assert.Equal((CfFailure.PermissionDenied, 403), (denied.Failure, denied.StatusCode));
        Assert.False(State.GetTask(ownTask.Guid)!.Metadata.Labels.ContainsKey("a"));
    }

    [Fact]
    public async Task A_422_from_the_cloud_controller_is_metadata_rejected_carrying_its_words()
    {
        var (session, app) = await ConnectWithAppAsync();
        var task = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 60" }, CancellationToken.None);
        State.AddFault(new FaultRule
        {
            Method = "PATCH", Path = "^/v3/tasks/", Action = FaultActions.Body, Status = 422,
            Body = """{"errors":[{"detail":"Metadata label key error: prefix 'cloudfoundry.org' is reserved","title":"CF-UnprocessableEntity","code":10008}]}""",
        });

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.UpdateMetadataAsync(task, Map(("a", "b")), null, CancellationToken.None));

        Assert.Equal((CfFailure.MetadataRejected, CfErrorKind.InvalidArgument, 422), (error.Failure, error.Kind, error.StatusCode));
        Assert.Contains("prefix 'cloudfoundry.org' is reserved", error.Message, StringComparison.Ordinal);
        Assert.Same(task, error.Target);
    }

    [Fact]
    public async Task Nothing_to_change_and_bad_keys_are_refused_before_any_request()
    {
        var (session, app) = await ConnectWithAppAsync();
        var task = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 60" }, CancellationToken.None);
        State.ClearRequests();

        var nothing = await Assert.ThrowsAsync<CfException>(() => session.Tasks.UpdateMetadataAsync(task, Map(), null, CancellationToken.None));
        var bad = await Assert.ThrowsAsync<CfException>(() => session.Tasks.UpdateMetadataAsync(task, null, Map(("a/b/c", "text")), CancellationToken.None));

        Assert.Equal(CfFailure.NothingToUpdate, nothing.Failure);
        Assert.Equal((CfFailure.InvalidMetadata, "a/b/c"), (bad.Failure, bad.Target));
        Assert.Empty(_fixture.RequestsTo("PATCH", $"/v3/tasks/{task.Guid}"));
    }

    // ------------------------------------------------------------------ the droplet

    [Fact]
    public async Task A_task_runs_on_the_droplet_asked_for_not_the_current_one()
    {
        var (session, app) = await ConnectWithAppAsync();
        var older = State.AddDroplet(app.Guid, new DropletSpec { Current = false });

        var pinned = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "echo hi", DropletGuid = older.Guid }, CancellationToken.None);
        var current = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "echo hi" }, CancellationToken.None);

        Assert.Equal(older.Guid, pinned.DropletGuid);
        Assert.Equal(older.Guid, State.GetTask(pinned.Guid)!.DropletGuid);
        Assert.NotEqual(older.Guid, current.DropletGuid);
    }

    [Fact]
    public async Task A_droplet_of_another_app_or_none_at_all_is_droplet_not_found()
    {
        var (session, app) = await ConnectWithAppAsync();
        var other = State.FindApp("demo-space", "billing-api")!;
        var othersDroplet = State.AddDroplet(other.Guid, new DropletSpec());

        var foreign = await Assert.ThrowsAsync<CfException>(() =>
            session.Tasks.StartAsync(app, new TaskStartRequest { Command = "x", DropletGuid = othersDroplet.Guid }, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<CfException>(() =>
            session.Tasks.StartAsync(app, new TaskStartRequest { Command = "x", DropletGuid = Guid.NewGuid().ToString() }, CancellationToken.None));

        foreach (var error in new[] { foreign, unknown })
        {
            Assert.Equal((CfFailure.DropletNotFound, CfErrorKind.NotFound, 404), (error.Failure, error.Kind, error.StatusCode));
            Assert.Contains("training-app", error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(othersDroplet.Guid, foreign.Target);
        Assert.Empty(State.TasksOf(app.Guid));
    }
}
