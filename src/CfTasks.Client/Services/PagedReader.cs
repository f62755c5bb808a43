using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Streams a CC V3 list: the first page from a Refit call, then each <c>pagination.next.href</c> fetched verbatim, as
/// the cf CLI does. Items are yielded as each page arrives, so a consumer that stops early stops the fetching.
/// </summary>
internal sealed class PagedReader(HttpClient cloudController)
{
    /// <summary>CC's largest page.</summary>
    public const int MaxPerPage = 5000;

    /// <summary>Every item of every page.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync<T>(
        Func<CancellationToken, Task<Page<T>>> firstPage,
        JsonTypeInfo<Page<T>> pageType,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        Action<Pagination>? onFirstPage = null)
    {
        var page = await CfCall.RunAsync(firstPage, cancellationToken).ConfigureAwait(false);
        if (page.Pagination is { } pagination) onFirstPage?.Invoke(pagination);
        while (true)
        {
            foreach (var item in page.Resources ?? []) yield return item;
            var next = page.Pagination?.Next?.Href;
            if (string.IsNullOrEmpty(next) || page.Resources is not { Count: > 0 }) yield break;
            page = await GetPageAsync(next, pageType, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every page, as it arrives (for callers that work per page, e.g. one batched app look-up per page of tasks).
    /// </summary>
    public async IAsyncEnumerable<Page<T>> ReadPagesAsync<T>(
        Func<CancellationToken, Task<Page<T>>> firstPage,
        JsonTypeInfo<Page<T>> pageType,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await CfCall.RunAsync(firstPage, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            yield return page;
            var next = page.Pagination?.Next?.Href;
            if (string.IsNullOrEmpty(next) || page.Resources is not { Count: > 0 }) yield break;
            page = await GetPageAsync(next, pageType, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Page<T>> GetPageAsync<T>(string href, JsonTypeInfo<Page<T>> pageType, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(href, UriKind.Absolute, out var uri))
            throw CfApiErrors.NotCloudFoundry(cloudController.BaseAddress, $"its next-page link '{href}' is not an absolute URL");
        using var response = await cloudController.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await CfApiErrors.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
        using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await JsonSerializer.DeserializeAsync(body, pageType, cancellationToken).ConfigureAwait(false)
                   ?? throw CfApiErrors.NotCloudFoundry(uri, "the page was empty");
        }
        catch (JsonException error)
        {
            throw CfApiErrors.NotCloudFoundry(uri, $"the page could not be read ({error.Message})", error);
        }
    }
}
