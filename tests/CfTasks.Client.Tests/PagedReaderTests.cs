using System.Net;
using System.Text;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Tests;

/// <summary>
/// A list page whose resources cannot be read is the server's fault, reported as such: each resource is read by its
/// type's converter straight from the page (outside the serializer, which would otherwise turn a reader's
/// InvalidOperationException into a JsonException), so the page reader does that itself.
/// </summary>
public sealed class PagedReaderTests
{
    private const string Times = "\"created_at\":\"2026-11-30T14:05:09Z\",\"updated_at\":\"2026-11-30T14:05:09Z\"";

    [Theory]
    [InlineData("{\"guid\":\"t1\",\"sequence_id\":1,\"name\":\"a\",\"state\":\"RUNNING\"," + Times + "},{\"guid\":\"t2\",\"sequence_id\":\"two\"," + Times + "}")]
    [InlineData("{\"guid\":\"t1\",\"sequence_id\":1,\"name\":\"a\",\"state\":\"RUNNING\"," + Times + "},{\"guid\":5}")]
    [InlineData("{\"guid\":\"t1\",\"sequence_id\":1,\"name\":\"a\",\"state\":\"RUNNING\"," + Times + "},[1,2]")]
    public async Task A_task_page_that_cannot_be_read_is_a_protocol_error(string resources)
    {
        var error = await Assert.ThrowsAsync<CfException>(() => ReadAll(resources, CfJsonContext.Default.ListTaskResource));

        Assert.Equal(CfErrorKind.Protocol, error.Kind);
        Assert.Contains("could not be read", error.Message);
    }

    [Theory]
    [InlineData("{\"guid\":\"a1\",\"name\":5,\"state\":\"STARTED\"," + Times + "}")]
    [InlineData("{\"guid\":\"a1\",\"name\":\"n\",\"state\":\"STARTED\",\"created_at\":17,\"updated_at\":\"2026-11-30T14:05:09Z\"}")]
    [InlineData("{\"guid\":\"a1\",\"name\":\"n\",\"state\":\"STARTED\"," + Times + ",\"relationships\":{\"space\":{\"data\":[]}}}")]
    public async Task An_app_page_that_cannot_be_read_is_a_protocol_error(string resources)
    {
        var error = await Assert.ThrowsAsync<CfException>(() => ReadAll(resources, CfJsonContext.Default.ListAppResource));

        Assert.Equal(CfErrorKind.Protocol, error.Kind);
        Assert.Contains("could not be read", error.Message);
    }

    [Fact]
    public async Task A_readable_page_reads_whole()
    {
        var names = await ReadAll("{\"guid\":\"a1\",\"name\":\"one\",\"state\":\"STARTED\"," + Times + "},{\"guid\":\"a2\",\"name\":\"two\",\"state\":\"STOPPED\"," + Times + "}",
            CfJsonContext.Default.ListAppResource);

        Assert.Equal(["one", "two"], names.Select(a => a.Name));
    }

    private static async Task<List<T>> ReadAll<T>(string resources, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> listType)
    {
        var uri = new Uri("https://api.example.org/v3/things");
        var body = "{\"pagination\":{\"total_results\":2,\"total_pages\":1,\"next\":null},\"resources\":[" + resources + "]}";
        var reader = new PagedReader(new HttpClient { BaseAddress = new Uri("https://api.example.org") });
        var items = new List<T>();
        await foreach (var item in reader.ReadAllAsync(
            _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
                RequestMessage = new HttpRequestMessage(HttpMethod.Get, uri),
            }), listType, CancellationToken.None))
        {
            items.Add(item);
        }
        return items;
    }
}
