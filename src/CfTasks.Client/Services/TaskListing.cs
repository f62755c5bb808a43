using System.Runtime.CompilerServices;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Lists tasks as <c>cf tasks</c> does (newest first), streamed page by page: one app's list
/// (<c>GET /v3/apps/:guid/tasks</c>, which shows developers the command), several apps' lists one after another, or
/// every task of the targeted space (<c>GET /v3/tasks?space_guids=</c>, which never shows the command; app names come
/// from one batched look-up per page). First/Skip count across all of them.
/// </summary>
internal sealed class TaskListing(ICloudControllerApi cloudController, PagedReader paging, AppService apps, CfTarget target)
{
    /// <summary>The order <c>cf tasks</c> shows: newest first.</summary>
    public const string NewestFirst = "-created_at";

    /// <summary>A listing of <paramref name="query"/>; nothing is requested until it is enumerated.</summary>
    public TaskList List(TaskListQuery query)
    {
        if (query.Apps is not { Count: > 0 } && query.SequenceIds is { Count: > 0 })
            throw CfErrors.SequenceIdNeedsApp(query.SequenceIds);
        return new TaskList(this, query);
    }

    /// <summary>
    /// The tasks of one source (an app, or the targeted space when <paramref name="app"/> is null), newest first. The
    /// server orders by <c>-created_at</c> so the list still streams; tasks created in the same second (CC's timestamps
    /// have whole seconds) come in descending sequence order, also where they straddle a page boundary. A task pushed
    /// onto the next page by tasks created meanwhile is not yielded twice. <paramref name="first"/> also sizes the pages;
    /// <paramref name="skip"/> skips whole pages on the server when no client-side name test is in play.
    /// </summary>
    internal async IAsyncEnumerable<CfTask> ReadSourceAsync(
        CfApp? app, TaskListQuery query, long first, long skip, TaskList counts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (first <= 0) yield break;
        var clientFilter = query.NameMatch;
        var perPage = clientFilter is null && first < PagedReader.MaxPerPage ? (int)first : PagedReader.MaxPerPage;
        int? startPage = null;
        if (clientFilter is null && skip >= perPage)
        {
            startPage = (int)Math.Min(int.MaxValue, skip / perPage + 1);
            skip %= perPage;
        }

        var names = clientFilter is null && query.Names is { Count: > 0 } ? query.Names.Select(AppService.EscapeListValue).ToList() : null;
        var states = query.States is { Count: > 0 } ? query.States.Select(CfObjectMapper.ToWire).Distinct().ToList() : null;
        var guids = query.Guids is { Count: > 0 } ? query.Guids.ToList() : null;
        var sequenceIds = query.SequenceIds is { Count: > 0 } ? query.SequenceIds.Distinct().ToList() : null;
        var space = app is null ? target.RequireSpaceGuid() : null;
        var chunks = paging.ReadChunksAsync(
            ct => app is not null
                ? cloudController.ListAppTasks(app.Guid, guids, names, states, sequenceIds, null, NewestFirst, perPage, ct, startPage)
                : cloudController.ListTasks(guids, names, states, null, [space!], null, NewestFirst, perPage, ct, startPage),
            CfJsonContext.Default.ListTaskResource, cancellationToken);

        var appNames = new Dictionary<string, string>(StringComparer.Ordinal);
        if (app is not null) appNames[app.Guid] = app.Name;
        var origin = app?.Origin ?? target;
        var counted = false;
        long yielded = 0;
        var previousPage = new HashSet<string>(StringComparer.Ordinal);
        var thisPage = new HashSet<string>(StringComparer.Ordinal);
        var second = new List<TaskResource>(); // the tasks of the latest second seen: the next chunk may add to them
        var ready = new List<TaskResource>(PagedReader.ChunkSize);
        await foreach (var chunk in ThenEnd(chunks).ConfigureAwait(false))
        {
            if (chunk is not null)
            {
                if (chunk.StartsPage)
                {
                    (previousPage, thisPage) = (thisPage, previousPage);
                    thisPage.Clear();
                }
                if (!counted && chunk.Pagination is { } pagination)
                {
                    counted = true;
                    counts.SourceStarted(pagination.TotalResults, exact: clientFilter is null);
                }
                if (app is null) await AddAppNamesAsync(chunk.Items, appNames, cancellationToken).ConfigureAwait(false);
                foreach (var resource in chunk.Items)
                {
                    if (!thisPage.Add(resource.Guid) || previousPage.Contains(resource.Guid)) continue;
                    if (clientFilter is not null && !clientFilter(resource.Name)) continue;
                    if (second.Count > 0 && second[0].CreatedAt != resource.CreatedAt) MoveNewestFirst(second, ready);
                    second.Add(resource);
                }
            }
            else
            {
                if (!counted) counts.SourceStarted(0, exact: true);
            }
            // Held back no longer when the list has ended, or when what is here already makes up all that is wanted
            // (so -First N never reads a page more just to finish a second).
            if (chunk is null || ready.Count + second.Count - skip >= first - yielded) MoveNewestFirst(second, ready);
            foreach (var resource in ready)
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                yield return CfObjectMapper.ToTask(resource, appNames.GetValueOrDefault(AppGuidOf(resource)), origin);
                if (++yielded >= first) yield break;
            }
            ready.Clear();
        }
    }

    /// <summary>The tasks of one second, newest sequence first, moved to <paramref name="ready"/>.</summary>
    private static void MoveNewestFirst(List<TaskResource> second, List<TaskResource> ready)
    {
        if (second.Count > 1) second.Sort((a, b) => b.SequenceId.CompareTo(a.SequenceId));
        ready.AddRange(second);
        second.Clear();
    }

    /// <summary>The chunks, then a null that marks their end.</summary>
    private static async IAsyncEnumerable<PageChunk<TaskResource>?> ThenEnd(IAsyncEnumerable<PageChunk<TaskResource>> chunks)
    {
        await foreach (var chunk in chunks.ConfigureAwait(false)) yield return chunk;
        yield return null;
    }

    /// <summary>Tasks by guid, each fetched directly wherever it is; a guid that finds nothing is reported, not thrown.</summary>
    internal async IAsyncEnumerable<CfTask> ReadGuidsAsync(TaskListQuery query, TaskList counts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var guid in query.Guids!.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            CfTask task;
            try
            {
                task = await GetAsync(guid, cancellationToken).ConfigureAwait(false);
            }
            catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
            {
                counts.Failed(error);
                continue;
            }
            if (query.NameMatch is { } match ? !match(task.Name) : query.Names is { Count: > 0 } names && !names.Contains(task.Name)) continue;
            if (query.States is { Count: > 0 } states && !states.Contains(task.State)) continue;
            yield return task;
        }
    }

    /// <summary>One task by guid (<c>GET /v3/tasks/:guid</c>, command shown to developers); TaskNotFound when unknown.</summary>
    public async Task<CfTask> GetAsync(string guid, CancellationToken cancellationToken, string? appName = null, CfTarget? origin = null)
    {
        TaskResource task;
        try
        {
            task = await CfCall.RunAsync(ct => cloudController.GetTask(guid, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw CfErrors.TaskNotFound(guid, $"'{guid}'", error);
        }
        if (appName is null && AppGuidOf(task) is { Length: > 0 } appGuid)
            appName = (await apps.GetNamesAsync([appGuid], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(appGuid);
        return CfObjectMapper.ToTask(task, appName, origin ?? target);
    }

    private async Task AddAppNamesAsync(IReadOnlyList<TaskResource> resources, Dictionary<string, string> appNames, CancellationToken cancellationToken)
    {
        var missing = resources.Select(AppGuidOf).Where(g => g.Length > 0 && !appNames.ContainsKey(g)).Distinct().ToList();
        if (missing.Count == 0) return;
        foreach (var pair in await apps.GetNamesAsync(missing, cancellationToken).ConfigureAwait(false)) appNames[pair.Key] = pair.Value;
    }

    internal static string AppGuidOf(TaskResource task) => task.Relationships?.App?.Data?.Guid ?? "";
}

/// <summary>
/// One listing of tasks (see <see cref="TaskService.List"/>): enumerate it once. While it runs it knows how many tasks
/// the server counts for what was asked (<see cref="Total"/>), and collects what it could not list — an app that
/// vanished, a guid that finds nothing — in <see cref="Failures"/> instead of stopping the whole listing.
/// </summary>
public sealed class TaskList : IAsyncEnumerable<CfTask>
{
    private readonly TaskListing _listing;
    private readonly TaskListQuery _query;
    private readonly List<CfException> _failures = [];
    private int _sourcesStarted;

    internal TaskList(TaskListing listing, TaskListQuery query)
    {
        _listing = listing;
        _query = query;
        Sources = query.Apps is { Count: > 0 } apps ? apps.Count : 1;
    }

    /// <summary>How many lists are read (the apps', or the one of the space).</summary>
    public int Sources { get; }

    /// <summary>The server's count of matching tasks, summed over the sources read so far (before First and Skip).</summary>
    public long Total { get; private set; }

    /// <summary>False when a client-side name test makes <see cref="Total"/> an upper bound.</summary>
    public bool IsTotalExact { get; private set; } = true;

    /// <summary>True once every source has reported its count, so <see cref="Total"/> is final.</summary>
    public bool IsTotalKnown => _sourcesStarted >= Sources;

    /// <summary>What could not be listed, each with its reason (read it when the enumeration has ended).</summary>
    public IReadOnlyList<CfException> Failures => _failures;

    internal void SourceStarted(long total, bool exact)
    {
        Total += total;
        IsTotalExact &= exact;
        _sourcesStarted++;
    }

    internal void Failed(CfException error) => _failures.Add(error);

    /// <inheritdoc />
    public IAsyncEnumerator<CfTask> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    private async IAsyncEnumerable<CfTask> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_query.Apps is not { Count: > 0 } apps)
        {
            var tasks = _query.Guids is { Count: > 0 }
                ? _listing.ReadGuidsAsync(_query, this, cancellationToken)
                : _listing.ReadSourceAsync(null, _query, _query.First ?? long.MaxValue, _query.Skip, this, cancellationToken);
            await foreach (var task in tasks.ConfigureAwait(false)) yield return task;
            _sourcesStarted = Sources;
            yield break;
        }

        // Several apps: First/Skip count across them, so skipping happens here rather than by server pages.
        var first = _query.First ?? long.MaxValue;
        var single = apps.Count == 1;
        long emitted = 0, skipped = 0;
        foreach (var app in apps)
        {
            if (emitted >= first) break;
            var wanted = single ? first : SaturatingAdd(first - emitted, _query.Skip - skipped);
            var skip = single ? _query.Skip : 0;
            var reader = _listing.ReadSourceAsync(app, _query, wanted, skip, this, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await reader.MoveNextAsync().ConfigureAwait(false)) break;
                    }
                    catch (CfException error) when (error.Kind is not (CfErrorKind.NotConnected or CfErrorKind.Authentication))
                    {
                        _failures.Add(error.Kind == CfErrorKind.NotFound ? CfErrors.AppNotFound(app.Name, CfErrors.SpaceOf(app.Origin), error) : error.As(error.Failure, app));
                        break;
                    }
                    if (!single && skipped < _query.Skip)
                    {
                        skipped++;
                        continue;
                    }
                    yield return reader.Current;
                    if (++emitted >= first) break;
                }
            }
            finally
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
        }
        _sourcesStarted = Sources;
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
