using System.Globalization;
using System.Net;
using FakeCloudFoundry.Model;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Tests;

/// <summary>List query parameters as CC parses and validates them: label selectors, timestamp filters, unknown keys.</summary>
public sealed class QueryParameterTests : IAsyncLifetime
{
    private FakeSession _fake = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _fake = await FakeSession.StartAsync();
        _token = await _fake.LoginAsync("admin");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Selector_requirements_of_every_form_AND_together()
    {
        var app = _fake.App();
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 2, NamePrefix = "a", Labels = new() { ["env"] = "prod", ["example.com/team"] = "billing" } });
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 3, NamePrefix = "b", Labels = new() { ["env"] = "dev" } });
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 4, NamePrefix = "c" });

        Assert.Equal(2, await Count($"/v3/apps/{app.Guid}/tasks", "env==prod"));
        Assert.Equal(2, await Count($"/v3/apps/{app.Guid}/tasks", "example.com/team=billing"));
        Assert.Equal(3, await Count($"/v3/apps/{app.Guid}/tasks", "env,!example.com/team"));
        Assert.Equal(7, await Count($"/v3/apps/{app.Guid}/tasks", "env notin (prod)"));
        Assert.Equal(5, await Count("/v3/tasks", "env in (prod,dev)"));
        Assert.Equal(0, await Count("/v3/tasks", "env=prod,env=dev"));
        Assert.Equal(2, await Count("/v3/tasks", "env=prod,,example.com/team")); // CC skips empty requirements
        Assert.Equal(9, await Count("/v3/tasks", string.Join(",", Enumerable.Range(1, 50).Select(i => $"!k{i}"))));
    }

    [Fact]
    public async Task Apps_spaces_and_organizations_filter_by_labels_too()
    {
        var demo = _fake.State.FindSpace("demo-space")!;
        demo.Metadata.Labels["tier"] = "gold";
        _fake.State.FindOrganization("second-org")!.Metadata.Labels["tier"] = "gold";
        _fake.App("billing-api").Metadata.Labels["tier"] = "gold";

        Assert.Equal(1, await Count("/v3/spaces", "tier=gold"));
        Assert.Equal(1, await Count("/v3/organizations", "tier=gold"));
        Assert.Equal(1, await Count("/v3/apps", "tier in (gold,silver)"));
        Assert.Equal(5, await Count("/v3/apps", "!tier"));
    }

    public static TheoryData<string, string> BadSelectors => new()
    {
        { "", "Missing label_selector value" },
        { "!!env", "Invalid label_selector value" },
        { "env = prod", "Invalid label_selector value" },
        { "env in (dev, qa)", "' qa' contains invalid characters" },
        { "env=prod!", "'prod!' contains invalid characters" },
        { "-env", "'-env' starts or ends with invalid characters" },
        { "cloudfoundry.org/env=prod", "prefix 'cloudfoundry.org' is reserved" },
        { "a/b/c", "key has more than one '/'" },
        { string.Join(",", Enumerable.Range(1, 51).Select(i => $"k{i}")), "Too many label_selector requirements (maximum is 50)" },
        { "env=prod!,!!x", "'prod!' contains invalid characters, Invalid label_selector value" },
    };

    [Theory]
    [MemberData(nameof(BadSelectors))]
    public async Task A_malformed_selector_is_a_bad_query_parameter_with_CCs_text(string selector, string message)
    {
        foreach (var path in new[] { "/v3/tasks", $"/v3/apps/{_fake.App().Guid}/tasks", "/v3/apps", "/v3/spaces", "/v3/organizations" })
        {
            var reply = await _fake.GetAsync($"{path}?label_selector={Uri.EscapeDataString(selector)}", _token);
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            Assert.Equal("CF-BadQueryParameter", reply.FirstError["title"]!.GetValue<string>());
            Assert.Equal("The query parameter is invalid: " + message, reply.ErrorDetail);
        }
    }

    [Fact]
    public async Task Timestamp_filters_compare_whole_seconds_and_combine_with_the_other_filters()
    {
        var app = _fake.App();
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 10, State = "SUCCEEDED", Labels = new() { ["env"] = "prod" } });
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 10, State = "FAILED", NamePrefix = "other" });
        var tasks = _fake.State.TasksOf(app.Guid);
        var t = Second(tasks[4]);
        var stamp = Stamp(t);
        long[] Expected(Func<long, bool> keep) => tasks.Where(task => keep(Second(task))).Select(task => (long)task.SequenceId).ToArray();

        Assert.Equal(Expected(s => s > t), await SequenceIds($"created_ats[gt]={stamp}"));
        Assert.Equal(Expected(s => s >= t), await SequenceIds($"created_ats[gte]={stamp}"));
        Assert.Equal(Expected(s => s < t), await SequenceIds($"created_ats[lt]={stamp}"));
        Assert.Equal(Expected(s => s <= t), await SequenceIds($"created_ats[lte]={stamp}"));
        Assert.Equal(Expected(s => s == t || s == t + 3), await SequenceIds($"created_ats={stamp},{Stamp(t + 3)}"));
        Assert.Equal(Expected(s => s > t && s < t + 4), await SequenceIds($"created_ats[gt]={stamp}&created_ats[lt]={Stamp(t + 4)}"));
        Assert.Equal(Expected(s => s + 1 > t), await SequenceIds($"updated_ats[gt]={stamp}")); // finished one second after creation

        // With states, label_selector, names, paging and order_by; the links repeat the time filter.
        var page = await _fake.GetAsync($"/v3/apps/{app.Guid}/tasks?created_ats%5Bgte%5D={stamp}&states=SUCCEEDED&label_selector=env%3Dprod&order_by=-created_at&per_page=2", _token);
        var expected = tasks.Take(10).Where(task => Second(task) >= t).OrderByDescending(task => task.CreatedAtNs).ToList();
        Assert.Equal(expected.Count, page.Body["pagination"]!["total_results"]!.GetValue<int>());
        Assert.Equal(expected.Take(2).Select(task => task.Guid), page.Body["resources"]!.AsArray().Select(r => r!["guid"]!.GetValue<string>()));
        var next = page.Body["pagination"]!["next"]!["href"]!.GetValue<string>();
        Assert.Contains("created_ats%5Bgte%5D=" + Uri.EscapeDataString(stamp), next);
        Assert.Equal(expected.Skip(2).Take(2).Select(task => task.Guid),
            (await _fake.GetAsync(next, _token)).Body["resources"]!.AsArray().Select(r => r!["guid"]!.GetValue<string>()));
        Assert.Equal(1, (await _fake.GetAsync($"/v3/tasks?created_ats={stamp}&names=task-5", _token)).Body["pagination"]!["total_results"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("created_ats=yesterday", "Created ats has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'")]
    [InlineData("updated_ats[lt]=2026-01-01T00:00:00.000Z", "Updated ats has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'")]
    [InlineData("created_ats=2026-01-01T00:00:00+01:00", "Created ats has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'")]
    [InlineData("created_ats[gt]=2026-01-01T00:00:00Z,2026-01-02T00:00:00Z", "Created ats only accepts one value when using a relational operator")]
    [InlineData("created_ats[after]=2026-01-01T00:00:00Z", "Created ats Invalid relational operator: 'after'")]
    [InlineData("page=0&per_page=5001&order_by=name", "Page must be a positive integer, Per page must be between 1 and 5000, Order by can only be: 'created_at', 'updated_at'")]
    public async Task Bad_timestamps_and_paging_give_CCs_messages_all_at_once(string query, string message)
    {
        foreach (var path in new[] { "/v3/tasks", $"/v3/apps/{_fake.App().Guid}/tasks" })
        {
            var reply = await _fake.GetAsync($"{path}?{query}", _token);
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            Assert.Equal("The query parameter is invalid: " + message, reply.ErrorDetail);
        }
    }

    [Fact]
    public async Task Unknown_parameters_are_listed_with_the_valid_ones_and_refused_ones_without()
    {
        var unknown = await _fake.GetAsync("/v3/tasks?bogus=1&colour=red", _token);
        Assert.Equal(
            "The query parameter is invalid: Unknown query parameter(s): 'bogus', 'colour'. Valid parameters are: 'page', 'per_page', 'order_by', " +
            "'created_ats', 'updated_ats', 'guids', 'names', 'states', 'app_guids', 'organization_guids', 'space_guids', 'app_guid', " +
            "'sequence_ids', 'label_selector'",
            unknown.ErrorDetail);
        var refused = await _fake.GetAsync($"/v3/apps/{_fake.App().Guid}/tasks?app_guids=x&space_guids=y", _token);
        Assert.Equal("The query parameter is invalid: Unknown query parameter(s): 'space_guids', 'app_guids'", refused.ErrorDetail);
        var spaces = await _fake.GetAsync("/v3/spaces?include=space", _token);
        Assert.Equal("The query parameter is invalid: Invalid included resource: 'space'. Valid included resources are: 'org', 'organization'", spaces.ErrorDetail);
        var twice = await _fake.GetAsync("/v3/apps?include=space,space", _token);
        Assert.Equal("The query parameter is invalid: Duplicate included resource: 'space'", twice.ErrorDetail);
    }

    [Fact]
    public async Task List_values_split_at_commas_and_the_spaces_after_them_as_CC_does()
    {
        var reply = await _fake.GetAsync("/v3/apps?names=" + Uri.EscapeDataString("training-app, billing-api"), _token);
        Assert.Equal(3, reply.Body["pagination"]!["total_results"]!.GetValue<int>());
        Assert.Contains("names=training-app%2Cbilling-api&", reply.Body["pagination"]!["first"]!["href"]!.GetValue<string>());
    }

    private async Task<int> Count(string path, string selector)
    {
        var reply = await _fake.GetAsync($"{path}?label_selector={Uri.EscapeDataString(selector)}", _token);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Body["pagination"]!["total_results"]!.GetValue<int>();
    }

    private async Task<long[]> SequenceIds(string query)
    {
        var reply = await _fake.GetAsync($"/v3/apps/{_fake.App().Guid}/tasks?per_page=5000&{query}", _token);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Body["resources"]!.AsArray().Select(r => r!["sequence_id"]!.GetValue<long>()).ToArray();
    }

    private static long Second(FakeTask task) => task.CreatedAtNs / 1_000_000_000;

    private static string Stamp(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
