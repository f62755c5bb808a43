using System.Net;
using System.Text.Json.Nodes;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Tests;

public sealed class PaginationTests : IAsyncLifetime
{
    private FakeSession _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSession.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Following_next_hrefs_lists_12000_tasks_exactly_once_with_every_filter_repeated()
    {
        var app = _fake.App();
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 12_000, State = "SUCCEEDED", NamePrefix = "job" });
        var token = await _fake.LoginAsync();

        var seen = new List<int>();
        var hrefs = new List<string>();
        string? next = $"/v3/apps/{app.Guid}/tasks?states=SUCCEEDED,FAILED&per_page=5000";
        while (next is not null)
        {
            var page = await _fake.GetAsync(next, token);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal(12_000, page.Body["pagination"]!["total_results"]!.GetValue<int>());
            Assert.Equal(3, page.Body["pagination"]!["total_pages"]!.GetValue<int>());
            seen.AddRange(page.Body["resources"]!.AsArray().Select(t => t!["sequence_id"]!.GetValue<int>()));
            next = page.Body["pagination"]!["next"]?["href"]?.GetValue<string>();
            if (next is not null) hrefs.Add(next);
        }

        Assert.Equal(Enumerable.Range(1, 12_000), seen);
        Assert.Equal(
            [
                $"{_fake.Api}/v3/apps/{app.Guid}/tasks?page=2&per_page=5000&states=SUCCEEDED%2CFAILED",
                $"{_fake.Api}/v3/apps/{app.Guid}/tasks?page=3&per_page=5000&states=SUCCEEDED%2CFAILED",
            ],
            hrefs);
    }

    [Fact]
    public async Task Links_are_absolute_sorted_form_encoded_and_null_at_the_ends()
    {
        var token = await _fake.LoginAsync();
        var names = Uri.EscapeDataString("training-app,billing-api,billing-worker,no such app");
        var page = await _fake.GetAsync($"/v3/apps?per_page=2&page=2&names={names}&label_selector=" + Uri.EscapeDataString("env notin (a,b),!tier"), token);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var pagination = page.Body["pagination"]!;
        const string query = "label_selector=env+notin+%28a%2Cb%29%2C%21tier&names=training-app%2Cbilling-api%2Cbilling-worker%2Cno+such+app";
        Assert.Equal($"{_fake.Api}/v3/apps?{query}&page=1&per_page=2", pagination["first"]!["href"]!.GetValue<string>());
        Assert.Equal($"{_fake.Api}/v3/apps?{query}&page=1&per_page=2", pagination["previous"]!["href"]!.GetValue<string>());
        Assert.Equal($"{_fake.Api}/v3/apps?{query}&page=2&per_page=2", pagination["last"]!["href"]!.GetValue<string>());
        Assert.Null(pagination["next"]);
        Assert.True(pagination.AsObject().ContainsKey("next"), "next must be a JSON null, not a missing key");
    }

    [Fact]
    public async Task An_empty_result_has_one_page_and_a_page_past_the_end_is_empty()
    {
        var token = await _fake.LoginAsync();
        var none = await _fake.GetAsync("/v3/apps?names=no-such-app", token);
        Assert.Equal(0, none.Body["pagination"]!["total_results"]!.GetValue<int>());
        Assert.Equal(1, none.Body["pagination"]!["total_pages"]!.GetValue<int>());
        Assert.Empty(none.Body["resources"]!.AsArray());

        var pastTheEnd = await _fake.GetAsync("/v3/apps?page=9", token);
        Assert.Equal(HttpStatusCode.OK, pastTheEnd.Status);
        Assert.Empty(pastTheEnd.Body["resources"]!.AsArray());
    }

    [Theory]
    [InlineData("per_page=5001", "Per page must be between 1 and 5000")]
    [InlineData("per_page=0", "Per page must be between 1 and 5000")]
    [InlineData("page=0", "Page must be a positive integer")]
    public async Task Paging_parameters_out_of_range_are_rejected(string query, string message)
    {
        var token = await _fake.LoginAsync();
        var reply = await _fake.GetAsync("/v3/tasks?" + query, token);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(10005, reply.ErrorCode);
        Assert.Contains(message, reply.ErrorDetail);
    }

    [Fact]
    public async Task Order_by_sorts_and_is_echoed_in_the_links()
    {
        var token = await _fake.LoginAsync();
        var reply = await _fake.GetAsync("/v3/apps?order_by=-name&space_guids=" + _fake.State.FindSpace("demo-space")!.Guid, token);
        var names = reply.Body["resources"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(names.OrderDescending(StringComparer.Ordinal), names);
        Assert.Contains("order_by=-name", reply.Body["pagination"]!["first"]!["href"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("-created_at")]
    [InlineData("created_at")]
    [InlineData("-updated_at")]
    public async Task Tasks_sort_by_time_across_pages(string orderBy)
    {
        // Two bulk seeds made one after the other overlap in time (each counts back from now), so the order is not the
        // creation order: every page must continue the one before it.
        var app = _fake.App();
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 4000, State = "SUCCEEDED" });
        _fake.State.BulkTasks(app.Guid, new BulkTaskSpec { Count = 3000, State = "SUCCEEDED" });
        var token = await _fake.LoginAsync();

        var seen = new List<(DateTime Time, int Sequence)>();
        string? next = $"/v3/apps/{app.Guid}/tasks?order_by={orderBy}&per_page=5000";
        while (next is not null)
        {
            var page = await _fake.GetAsync(next, token);
            var field = orderBy.TrimStart('-');
            seen.AddRange(page.Body["resources"]!.AsArray().Select(t => (t![field]!.GetValue<DateTime>(), t["sequence_id"]!.GetValue<int>())));
            next = page.Body["pagination"]!["next"]?["href"]?.GetValue<string>();
        }

        Assert.Equal(7000, seen.Select(s => s.Sequence).Distinct().Count());
        var times = seen.Select(s => s.Time).ToList();
        Assert.Equal(orderBy.StartsWith('-') ? times.OrderDescending() : times.Order(), times);
        Assert.NotEqual(seen.Select(s => s.Sequence).Order(), seen.Select(s => s.Sequence)); // not simply creation order
    }

    [Theory]
    [InlineData("-created_at")]
    [InlineData("created_at")]
    public async Task Tasks_with_the_same_time_are_ordered_by_guid_in_the_same_direction(string orderBy)
    {
        // CC's SequelPaginator appends guid to the order: equal times come by guid, not in creation order.
        var app = _fake.App();
        _fake.State.SetClockSpeed(1e-12); // the starts below share one timestamp
        var token = await _fake.LoginAsync();
        for (var i = 0; i < 8; i++) await _fake.StartTaskAsync(token, app, new { command = "bin/job" });

        var page = await _fake.GetAsync($"/v3/apps/{app.Guid}/tasks?order_by={orderBy}", token);
        var guids = page.Body["resources"]!.AsArray().Select(t => t!["guid"]!.GetValue<string>()).ToList();

        Assert.Equal(8, guids.Count);
        Assert.Equal(orderBy.StartsWith('-') ? guids.OrderDescending(StringComparer.Ordinal) : guids.Order(StringComparer.Ordinal), guids);
    }
}
