using System.Net;
using System.Text.Json.Nodes;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Tests;

/// <summary>Listings across many spaces, and the bulk seed that makes a foundation-sized data set.</summary>
public sealed class WideListingTests : IAsyncLifetime
{
    private FakeSession _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSession.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Tasks_of_many_spaces_page_newest_first_exactly_once()
    {
        var made = await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/bulk/spaces", null,
            new { organization = "wide-org", spaces = 12, appsPerSpace = 2, tasksPerApp = 50, state = "FAILED" });
        Assert.Equal(HttpStatusCode.OK, made.Status);
        Assert.Equal(24, made.Body["apps"]!.GetValue<int>());
        Assert.Equal(1200, made.Body["tasks"]!.GetValue<int>());
        var spaceGuids = made.Body["spaceGuids"]!.AsArray().Select(g => g!.GetValue<string>()).ToList();
        Assert.Equal(12, spaceGuids.Count);
        var developer = await _fake.LoginAsync();

        var seen = new List<JsonNode>();
        string? next = $"/v3/tasks?order_by=-created_at&per_page=500&space_guids={string.Join(",", spaceGuids)}";
        while (next is not null)
        {
            var page = await _fake.GetAsync(next, developer);
            Assert.Equal(1200, page.Body["pagination"]!["total_results"]!.GetValue<int>());
            seen.AddRange(page.Body["resources"]!.AsArray().Select(t => t!));
            next = page.Body["pagination"]!["next"]?["href"]?.GetValue<string>();
        }
        Assert.Equal(1200, seen.Select(t => t["guid"]!.GetValue<string>()).Distinct().Count());
        var times = seen.Select(t => t["created_at"]!.GetValue<DateTime>()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.Equal(24, seen.Take(24).Select(t => t["relationships"]!["app"]!["data"]!["guid"]!.GetValue<string>()).Distinct().Count()); // apps interleave
        Assert.All(seen, t => Assert.StartsWith("APP/TASK/job-", t["result"]!["failure_reason"]!.GetValue<string>()));

        var orgGuid = made.Body["organizationGuid"]!.GetValue<string>();
        Assert.Equal(1200, await Total($"/v3/tasks?organization_guids={orgGuid}&per_page=1", developer));
        Assert.Equal(200, await Total($"/v3/tasks?space_guids={spaceGuids[3]},{spaceGuids[7]}&per_page=1", developer));
        Assert.Equal(0, await Total($"/v3/tasks?organization_guids={orgGuid}", await _fake.LoginAsync("auditor")));
        var admin = await _fake.LoginAsync("admin");
        _fake.State.BulkTasks(_fake.App().Guid, new BulkTaskSpec { Count = 7 });
        Assert.Equal(1207, await Total("/v3/tasks?per_page=1", admin));
    }

    [Fact]
    public async Task Space_and_organization_names_are_looked_up_in_batches()
    {
        var made = _fake.State.BulkSpaces(new BulkSpacesSpec { Organization = "names-org", Spaces = 3, AppsPerSpace = 1, TasksPerApp = 1 });
        var demo = _fake.State.FindSpace("demo-space")!;
        var guids = string.Join(",", made.SpaceGuids.Append(demo.Guid));
        var developer = await _fake.LoginAsync();

        var spaces = await _fake.GetAsync($"/v3/spaces?guids={guids}&include=organization", developer);
        Assert.Equal(["demo-space", "space-1", "space-2", "space-3"], spaces.Body["resources"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        var orgs = spaces.Body["included"]!["organizations"]!.AsArray();
        Assert.Equal(["demo-org", "names-org"], orgs.Select(o => o!["name"]!.GetValue<string>()));
        new JsonShape().AssertSame(ReferenceFixtures.Load("organizations-list.json")["resources"]![0], orgs[0]);

        var byGuid = await _fake.GetAsync($"/v3/organizations?guids={made.OrganizationGuid},{demo.Organization.Guid}", developer);
        Assert.Equal(["demo-org", "names-org"], byGuid.Body["resources"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));

        var one = await _fake.GetAsync($"/v3/spaces/{made.SpaceGuids[0]}?include=org", developer);
        Assert.Equal("names-org", one.Body["included"]!["organizations"]![0]!["name"]!.GetValue<string>());
        var app = await _fake.GetAsync($"/v3/apps/{_fake.App().Guid}?include=space.organization", developer);
        Assert.Equal("demo-space", app.Body["included"]!["spaces"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("demo-org", app.Body["included"]!["organizations"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("The query parameter is invalid: Unknown query parameter(s): 'names'. Valid parameters are: 'include'",
            (await _fake.GetAsync($"/v3/apps/{_fake.App().Guid}?names=x", developer)).ErrorDetail);
    }

    [Fact]
    public async Task The_foundation_sized_seed_makes_100000_tasks_in_50_spaces_a_developer_can_list()
    {
        var made = _fake.State.BulkSpaces(new BulkSpacesSpec { Organization = "big-org", Spaces = 50, AppsPerSpace = 2, TasksPerApp = 1000 });
        Assert.Equal(100_000, made.Tasks);
        var developer = await _fake.LoginAsync();
        var filter = "space_guids=" + string.Join(",", made.SpaceGuids);

        var newest = await _fake.GetAsync($"/v3/tasks?{filter}&order_by=-created_at&per_page=1", developer);
        Assert.Equal(100_000, newest.Body["pagination"]!["total_results"]!.GetValue<int>());
        var oldest = await _fake.GetAsync($"/v3/tasks?{filter}&order_by=-created_at&per_page=1&page=100000", developer);
        Assert.True(newest.Body["resources"]![0]!["created_at"]!.GetValue<DateTime>() > oldest.Body["resources"]![0]!["created_at"]!.GetValue<DateTime>());
        Assert.Equal("job-1000", newest.Body["resources"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("job-1", oldest.Body["resources"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(100_000, await Total($"/v3/tasks?organization_guids={made.OrganizationGuid}&per_page=1", developer));
        Assert.Equal(100, await Total($"/v3/apps?organization_guids={made.OrganizationGuid}&per_page=1", developer));
    }

    private async Task<int> Total(string path, string token)
    {
        var reply = await _fake.GetAsync(path, token);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Body["pagination"]!["total_results"]!.GetValue<int>();
    }
}
