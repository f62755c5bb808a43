using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Lists tasks as <c>cf tasks</c> does (newest first), streamed page by page: one app's list
/// (<c>GET /v3/apps/:guid/tasks</c>, which shows developers the command), several apps' lists one after another, or
/// every task of a scope — the targeted space, another space, an organization or every space the user can see
/// (<c>GET /v3/tasks</c> with <c>space_guids=</c>, <c>organization_guids=</c> or neither, which never shows the command).
/// Each task carries its app's, space's and organization's names, from one batched look-up per chunk of tasks for the
/// apps not seen before (never one request per task). First/Skip count across all of them.
/// </summary>
internal sealed class TaskListing(ICloudControllerApi cloudController, PagedReader paging, AppService apps, TargetService places, CfTarget target)
{
    /// <summary>The order <c>cf tasks</c> shows: newest first.</summary>
    public const string NewestFirst = "-created_at";

    /// <summary>A listing of <paramref name="query"/>; nothing is requested until it is enumerated.</summary>
    public TaskList List(TaskListQuery query)
    {
        if (query.Apps is not { Count: > 0 } && query.SequenceIds is { Count: > 0 })
            throw CfErrors.SequenceIdNeedsApp(query.SequenceIds);
        if (query.CreatedAfter is { } after && query.CreatedBefore is { } before && after > before)
            throw CfErrors.InvalidTimeRange(after, before);
        return new TaskList(this, query);
    }

    /// <summary>
    /// The tasks of one source (an app, or the query's scope when <paramref name="app"/> is null), newest first. The
    /// server orders by <c>-created_at</c> so the list still streams; tasks created in the same second (CC's timestamps
    /// have whole seconds, and CC orders ties by guid) come in descending sequence order, also where they straddle a page
    /// boundary: a second is only yielded once a task of an older second (or the end of the list) shows it is complete.
    /// A task pushed onto the next page by tasks created meanwhile is not yielded twice. <paramref name="first"/> also
    /// sizes the pages, one task larger than needed so the task after the last one wanted usually shows in the same
    /// request that its second is complete; <paramref name="skip"/> is read on the first page when it fits there, else
    /// skips whole pages on the server, when no client-side name test is in play.
    /// </summary>
    internal async IAsyncEnumerable<CfTask> ReadSourceAsync(
        CfApp? app, TaskListQuery query, long first, long skip, TaskList counts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (first <= 0) yield break;
        var clientFilter = query.NameMatch;
        var perPage = PagedReader.MaxPerPage;
        int? startPage = null;
        if (clientFilter is null && first < PagedReader.MaxPerPage)
        {
            // One more than wanted: the task after the last one wanted tells whether that one's second goes on. With a
            // skip, the smallest page size that has the skipped-to task and the ones after it on one page.
            perPage = skip + first < PagedReader.MaxPerPage ? (int)(skip + first + 1) : (int)first + 1;
            while (skip >= perPage && perPage < PagedReader.MaxPerPage && skip % perPage + first + 1 > perPage) perPage++;
        }
        if (clientFilter is null && skip >= perPage)
        {
            startPage = (int)Math.Min(int.MaxValue, skip / perPage + 1);
            skip %= perPage;
        }

        var names = clientFilter is null && query.Names is { Count: > 0 } ? query.Names.Select(AppService.EscapeListValue).ToList() : null;
        var states = query.States is { Count: > 0 } ? query.States.Select(CfObjectMapper.ToWire).Distinct().ToList() : null;
        var guids = query.Guids is { Count: > 0 } ? query.Guids.ToList() : null;
        var sequenceIds = query.SequenceIds is { Count: > 0 } ? query.SequenceIds.Distinct().ToList() : null;
        var selector = string.IsNullOrEmpty(query.LabelSelector) ? null : query.LabelSelector;
        var createdAfter = query.CreatedAfter is { } after ? CfObjectMapper.ToWireTimestamp(after, roundUp: false) : null;
        var createdBefore = query.CreatedBefore is { } before ? CfObjectMapper.ToWireTimestamp(before, roundUp: true) : null;

        // Where the tasks are, as far as known before any task is read; the rest comes from the batched look-ups.
        var placements = new Dictionary<string, AppPlacement>(StringComparer.Ordinal);
        var scope = app is null ? await ResolveScopeAsync(query.Scope ?? TaskScope.TargetedSpace, cancellationToken).ConfigureAwait(false) : null;
        if (app is not null) placements[app.Guid] = await PlacementOfAsync(app, cancellationToken).ConfigureAwait(false);
        var chunks = paging.ReadChunksAsync(
            ct => app is not null
                ? cloudController.ListAppTasks(app.Guid, guids, names, states, sequenceIds, selector, NewestFirst, perPage, ct, startPage, createdAfter, createdBefore)
                : cloudController.ListTasks(guids, names, states, null, scope!.SpaceGuids, selector, NewestFirst, perPage, ct, startPage, createdAfter, createdBefore, scope.OrganizationGuids),
            CfJsonContext.Default.ListTaskResource, readAhead: clientFilter is not null || first > perPage - skip, cancellationToken);
        if (selector is not null) chunks = SelectorRefused(chunks, selector, cancellationToken);

        var origin = app?.Origin ?? target;
        var counted = false;
        long yielded = 0;
        var previousPage = new HashSet<string>(StringComparer.Ordinal);
        var thisPage = new HashSet<string>(StringComparer.Ordinal);
        var second = new List<TaskResource>(); // the tasks of the latest second seen: the next chunk may add to them
        var ready = new List<TaskResource>(PagedReader.ChunkSize);
        var failure = new StrongBox<ExceptionDispatchInfo?>();
        await foreach (var chunk in ThenEnd(chunks, failure).ConfigureAwait(false))
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
                await AddPlacementsAsync(chunk.Items, placements, cancellationToken).ConfigureAwait(false);
                foreach (var resource in chunk.Items)
                {
                    if (!thisPage.Add(resource.Guid) || previousPage.Contains(resource.Guid)) continue;
                    if (clientFilter is not null && !clientFilter(resource.Name)) continue;
                    if (!IsWithin(resource.CreatedAt, query)) continue;
                    if (second.Count > 0 && second[0].CreatedAt != resource.CreatedAt) MoveNewestFirst(second, ready);
                    second.Add(resource);
                }
            }
            else if (!counted && failure.Value is null)
            {
                counts.SourceStarted(0, exact: true);
            }
            // The latest second is held back until a task of an older second arrives (above) or the list ends: CC orders
            // a second's tasks by guid, so one still to come may be newer than those already here.
            if (chunk is null) MoveNewestFirst(second, ready);
            foreach (var resource in ready)
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                yield return CfObjectMapper.ToTask(resource, PlaceOf(resource, placements, scope), origin);
                if (++yielded >= first) yield break;
            }
            ready.Clear();
        }
        failure.Value?.Throw();
    }

    /// <summary>
    /// The exact creation-time bounds. The server was asked with whole seconds rounded outwards (after: down, before: up),
    /// and CC's times are whole seconds too, so this only ever confirms what the server sent: it is a guard, and does not
    /// make the total inexact or stop whole pages being skipped on the server.
    /// </summary>
    private static bool IsWithin(DateTime createdAt, TaskListQuery query)
    {
        if (query.CreatedAfter is null && query.CreatedBefore is null) return true;
        var created = CfObjectMapper.ToInstant(createdAt);
        return (query.CreatedAfter is not { } after || created > after) && (query.CreatedBefore is not { } before || created < before);
    }

    /// <summary>Where a scope's tasks are read, and what is known of their place before any is read.</summary>
    private sealed record ResolvedScope(IReadOnlyList<string>? SpaceGuids, IReadOnlyList<string>? OrganizationGuids, AppPlacement Place);

    /// <summary>Looks up the scope's space or organization by name (SpaceNotFound / OrganizationNotFound naming them).</summary>
    private async Task<ResolvedScope> ResolveScopeAsync(TaskScope scope, CancellationToken cancellationToken)
    {
        if (scope.IsAllSpaces) return new ResolvedScope(null, null, new AppPlacement(null, null, null));
        if (scope.IsTargetedSpace) return new ResolvedScope([target.RequireSpaceGuid()], null, new AppPlacement(null, target.Space, target.Organization));

        string orgGuid, orgName;
        if (scope.OrganizationName is { } organization)
        {
            var org = await places.FindOrganizationAsync(organization, cancellationToken).ConfigureAwait(false);
            (orgGuid, orgName) = (org.Guid, org.Name);
        }
        else
        {
            (orgGuid, orgName) = (target.OrganizationGuid ?? throw CfErrors.NoOrganizationTargeted(scope.SpaceName), target.Organization ?? "");
        }
        if (scope.SpaceName is not { } spaceName) return new ResolvedScope(null, [orgGuid], new AppPlacement(null, null, orgName));
        var space = await places.FindSpaceAsync(spaceName, orgGuid, orgName, cancellationToken).ConfigureAwait(false);
        return new ResolvedScope([space.Guid], null, new AppPlacement(null, space.Name, orgName));
    }

    /// <summary>A listing whose label selector the server refused (400): an InvalidLabelSelector error with the server's words.</summary>
    private static async IAsyncEnumerable<T> SelectorRefused<T>(IAsyncEnumerable<T> items, string selector, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var enumerator = items.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (CfException error) when (error.StatusCode == 400)
                {
                    throw CfErrors.InvalidLabelSelector(selector, error);
                }
                if (!more) break;
                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
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
    private static async IAsyncEnumerable<PageChunk<TaskResource>?> ThenEnd(
        IAsyncEnumerable<PageChunk<TaskResource>> chunks, StrongBox<ExceptionDispatchInfo?> failure)
    {
        // A page that fails (the next one, say) still ends the list with the marker, so the tasks held back for their
        // second are written before the failure is thrown; stopping (cancellation) goes straight through.
        var source = chunks.GetAsyncEnumerator();
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await source.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    failure.Value = ExceptionDispatchInfo.Capture(error);
                    more = false;
                }
                if (!more) break;
                yield return source.Current;
            }
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
        yield return null;
    }

    /// <summary>Tasks by guid, each fetched directly wherever it is; a guid that finds nothing is reported, not thrown.</summary>
    internal async IAsyncEnumerable<CfTask> ReadGuidsAsync(TaskListQuery query, TaskList counts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var placements = new Dictionary<string, AppPlacement>(StringComparer.Ordinal); // one look-up per app, not per task
        foreach (var guid in query.Guids!.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            TaskResource resource;
            try
            {
                resource = await GetResourceAsync(guid, cancellationToken).ConfigureAwait(false);
            }
            catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
            {
                counts.Failed(error);
                continue;
            }
            await AddPlacementsAsync([resource], placements, cancellationToken).ConfigureAwait(false);
            var task = CfObjectMapper.ToTask(resource, PlaceOf(resource, placements, null), target);
            if (query.NameMatch is { } match ? !match(task.Name) : query.Names is { Count: > 0 } names && !names.Contains(task.Name)) continue;
            if (query.States is { Count: > 0 } states && !states.Contains(task.State)) continue;
            if ((query.CreatedAfter is { } after && task.CreatedAt <= after) || (query.CreatedBefore is { } before && task.CreatedAt >= before)) continue;
            yield return task;
        }
    }

    /// <summary>One task by guid (<c>GET /v3/tasks/:guid</c>, command shown to developers); TaskNotFound when unknown.</summary>
    public async Task<CfTask> GetAsync(string guid, CancellationToken cancellationToken, string? appName = null, CfTarget? origin = null)
    {
        var task = await GetResourceAsync(guid, cancellationToken).ConfigureAwait(false);
        var place = appName is null ? await PlacementOfAsync(task, cancellationToken).ConfigureAwait(false) : new AppPlacement(appName, null, null);
        return CfObjectMapper.ToTask(task, place, origin ?? target);
    }

    private async Task<TaskResource> GetResourceAsync(string guid, CancellationToken cancellationToken)
    {
        try
        {
            return await CfCall.RunAsync(ct => cloudController.GetTask(guid, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw CfErrors.TaskNotFound(guid, $"'{guid}'", error);
        }
    }

    /// <summary>A newer view of a task read before (<c>GET /v3/tasks/:guid</c>); its place is the known one.</summary>
    public async Task<CfTask> RefreshAsync(CfTask known, CancellationToken cancellationToken)
    {
        TaskResource task;
        try
        {
            task = await CfCall.RunAsync(ct => cloudController.GetTask(known.Guid, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw CfErrors.TaskNotFound(known, CfErrors.Describe(known), error);
        }
        return CfObjectMapper.ToTask(task, AppPlacement.Of(known), known.Origin ?? target);
    }

    /// <summary>Where a task read by itself is: one look-up of its app, with its space and organization.</summary>
    private async Task<AppPlacement?> PlacementOfAsync(TaskResource task, CancellationToken cancellationToken)
    {
        var appGuid = AppGuidOf(task);
        return appGuid.Length > 0 ? (await apps.GetPlacementsAsync([appGuid], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(appGuid) : null;
    }

    /// <summary>Where an app's tasks are: what the app's connection knows, else one look-up.</summary>
    internal async Task<AppPlacement> PlacementOfAsync(CfApp app, CancellationToken cancellationToken)
    {
        var known = AppService.PlacementOf(app, target);
        if (known.IsComplete) return known;
        return (await apps.GetPlacementsAsync([app.Guid], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(app.Guid) ?? known;
    }

    /// <summary>Adds the places of the apps of these tasks not seen before: one request per 50 such apps.</summary>
    private async Task AddPlacementsAsync(IReadOnlyList<TaskResource> resources, Dictionary<string, AppPlacement> placements, CancellationToken cancellationToken)
    {
        var missing = resources.Select(AppGuidOf).Where(g => g.Length > 0 && !placements.ContainsKey(g)).Distinct().ToList();
        if (missing.Count == 0) return;
        var found = await apps.GetPlacementsAsync(missing, cancellationToken).ConfigureAwait(false);
        foreach (var guid in missing)
            placements[guid] = found.GetValueOrDefault(guid) ?? Unknown; // an app gone or hidden is not asked for again
    }

    private static readonly AppPlacement Unknown = new(null, null, null);

    /// <summary>A listed task's place: its app's, else what the scope says (the space or organization listed).</summary>
    private static AppPlacement? PlaceOf(TaskResource task, Dictionary<string, AppPlacement> placements, ResolvedScope? scope) =>
        placements.GetValueOrDefault(AppGuidOf(task)) is { } place && !ReferenceEquals(place, Unknown) ? place : scope?.Place;

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
            // Guids alone are fetched one by one, wherever they are; with a label selector the server filters them
            // (across every space, unless a scope was named).
            var byGuid = _query.Guids is { Count: > 0 };
            var tasks = byGuid && string.IsNullOrEmpty(_query.LabelSelector) && _query.Scope is null or { IsTargetedSpace: true }
                ? _listing.ReadGuidsAsync(_query, this, cancellationToken)
                : _listing.ReadSourceAsync(null, byGuid && _query.Scope is null or { IsTargetedSpace: true } ? _query with { Scope = TaskScope.AllSpaces } : _query,
                    _query.First ?? long.MaxValue, _query.Skip, this, cancellationToken);
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
            var missing = FindsBySequenceIdOnly ? new SortedSet<int>(_query.SequenceIds!) : null;
            var reader = _listing.ReadSourceAsync(app, _query, wanted, skip, this, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await reader.MoveNextAsync().ConfigureAwait(false))
                        {
                            // Read to the end: a sequence id asked for and not seen is not there (as for a guid).
                            foreach (var id in missing ?? []) _failures.Add(CfErrors.SequenceIdNotFound(id, app.Name));
                            break;
                        }
                    }
                    catch (CfException error) when (error.Kind is not (CfErrorKind.NotConnected or CfErrorKind.Authentication) && error.Failure != CfFailure.InvalidLabelSelector)
                    {
                        _failures.Add(error.Kind == CfErrorKind.NotFound ? CfErrors.AppNotFound(app.Name, CfErrors.SpaceOf(app.Origin), error) : error.As(error.Failure, app));
                        break;
                    }
                    missing?.Remove(reader.Current.SequenceId);
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

    /// <summary>
    /// Sequence ids name tasks, like guids: when they are the only thing asked for, one that matches nothing is an error.
    /// With other filters (a state, a name, a time, labels) or a skip, nothing found is just an empty answer.
    /// </summary>
    private bool FindsBySequenceIdOnly =>
        _query.SequenceIds is { Count: > 0 } && _query.Skip == 0 && _query.Names is not { Count: > 0 } && _query.NameMatch is null
        && _query.States is not { Count: > 0 } && _query.Guids is not { Count: > 0 } && string.IsNullOrEmpty(_query.LabelSelector)
        && _query.CreatedAfter is null && _query.CreatedBefore is null;
}
