using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using CfTasks.Completion;
using CfTasks.Output;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>
/// <para type="synopsis">Gets tasks, like <c>cf tasks APP</c>, as CfTask objects.</para>
/// <para type="description">With -AppName (or apps piped from Get-CfApp): those apps' tasks, read from the app's task
/// list, which shows the command to space developers. Without an app: every task in the targeted space, with AppName
/// filled in by batched app look-ups; Cloud Foundry never returns the command on that list, so Command is $null there
/// (shown as [hidden]). -Name, -State, -SequenceId and -Guid are sent to the server as filters (-Name with wildcards is
/// matched here). -SequenceId needs an app (sequence ids are numbered per app); -Guid alone fetches those tasks directly.</para>
/// <para type="description">Order: newest first, as cf tasks lists them. The server orders by -created_at, so the
/// listing still streams page by page (5000 tasks per request) and `Get-CfTask app | Select-Object -First 1` is the
/// latest task, fetched with a single request. A task pushed onto the next page by tasks created during the listing is
/// not written twice.</para>
/// <para type="description">Paging: -First N asks for pages of N (up to 5000) and stops after N tasks; -Skip skips whole
/// pages on the server where it can; -IncludeTotalCount writes the total from the first page's pagination block.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CfTask", DefaultParameterSetName = SpaceSet, SupportsPaging = true)]
[OutputType(typeof(CfTask))]
public sealed class GetCfTaskCommand : CfTargetedCmdlet
{
    private const string SpaceSet = "AppName";
    private const string AppSet = "App";

    /// <summary>Names of the apps whose tasks to get; wildcards allowed. Without it: every task in the targeted space.</summary>
    [Parameter(Position = 0, ParameterSetName = SpaceSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    [SupportsWildcards]
    [ValidateCfName]
    public string[]? AppName { get; set; }

    /// <summary>Apps (from Get-CfApp) whose tasks to get.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AppSet, ValueFromPipeline = true)]
    [Alias("InputObject")]
    [ValidateNotNull]
    public CfApp[]? App { get; set; }

    /// <summary>Task names; wildcards allowed.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TaskNameCompleter))]
    [SupportsWildcards]
    [ValidateCfName]
    public string[]? Name { get; set; }

    /// <summary>Only tasks in these states.</summary>
    [Parameter]
    public CfTaskState[]? State { get; set; }

    /// <summary>Tasks with these sequence ids (the id cf tasks shows); needs an app.</summary>
    [Parameter]
    [Alias("Id")]
    [ValidateRange(1, int.MaxValue)]
    public int[]? SequenceId { get; set; }

    /// <summary>Tasks with these guids.</summary>
    [Parameter]
    [ValidateCfGuid]
    public string[]? Guid { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            ProcessCore();
        }
        catch
        {
            // Downstream stopped early (Select-Object -First) or failed: end the listing's background work now.
            StopProcessing();
            throw;
        }
    }

    private void ProcessCore()
    {
        if (SequenceId is { Length: > 0 } && App is null && AppName is not { Length: > 0 })
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("Sequence ids are numbered per app: name the app with -AppName (or pipe it from Get-CfApp) to use -SequenceId."),
                "CfSequenceIdNeedsApp", ErrorCategory.InvalidArgument, SequenceId));
        }

        if (App is { Length: > 0 } apps)
        {
            foreach (var group in apps.GroupBy(a => a.Origin))
            {
                var session = ResolveSession(group.Key);
                var list = group.ToList();
                Run(ct => ListAsync(session, list, ct));
            }
            return;
        }

        var target = ResolveSession();
        if (AppName is { Length: > 0 } names)
        {
            Run(async ct =>
            {
                var resolved = new List<CfApp>();
                await foreach (var app in AppSelection.ResolveAsync(target, names, error => PostError(error, error.Target), ct).ConfigureAwait(false))
                    resolved.Add(app);
                await ListAsync(target, resolved, ct).ConfigureAwait(false);
            });
        }
        else if (Guid is { Length: > 0 } guids)
        {
            Run(ct => GetByGuidAsync(target, guids, ct));
        }
        else
        {
            Run(ct => ListAsync(target, [null], ct));
        }
    }

    /// <summary>Lists the tasks of each app (or of the whole space for a null entry), honouring -First/-Skip across them.</summary>
    private async Task ListAsync(CfSession session, IReadOnlyList<CfApp?> sources, CancellationToken cancellationToken)
    {
        var first = PagingParameters.First == ulong.MaxValue ? (long?)null : (long)Math.Min(PagingParameters.First, long.MaxValue);
        var skip = (long)Math.Min(PagingParameters.Skip, long.MaxValue);
        var baseQuery = BuildQuery() with { BeforeNextPage = ConsumedAsync };
        var single = sources.Count == 1;
        long total = 0;
        var exact = true;
        long emitted = 0, skipped = 0;

        foreach (var app in sources)
        {
            if (first is { } limit && emitted >= limit) break;
            var query = single
                ? baseQuery with
                {
                    First = first,
                    Skip = skip,
                    OnTotal = (count, isExact) =>
                    {
                        _expected = count;
                        if (PagingParameters.IncludeTotalCount) PostObject(PagingParameters.NewTotalCount((ulong)count, isExact ? 1.0 : 0.5));
                    },
                }
                : baseQuery with
                {
                    First = first is { } l ? l - emitted + (skip - skipped) : null,
                    OnTotal = (count, isExact) =>
                    {
                        total += count;
                        exact &= isExact;
                        _expected = total;
                    },
                };
            try
            {
                await foreach (var task in session.Tasks.ListAsync(app, query, cancellationToken).ConfigureAwait(false))
                {
                    if (!single && skipped < skip)
                    {
                        skipped++;
                        continue;
                    }
                    _batch.Add(task);
                    if (_batch.Count >= BatchSize) FlushBatch();
                    emitted++;
                    Interlocked.Increment(ref _listed);
                    if (first is { } max && emitted >= max) break;
                }
            }
            catch (CfException error) when (error.Kind is not (CfErrorKind.NotConnected or CfErrorKind.Authentication) && app is not null)
            {
                FlushBatch();
                PostError(error.Kind == CfErrorKind.NotFound
                    ? error.WithContext("CfAppNotFound", app, $"App '{app.Name}' not found, or you cannot see it: {error.Message}")
                    : error, app);
            }
        }
        FlushBatch();
        if (!single && PagingParameters.IncludeTotalCount) PostObject(PagingParameters.NewTotalCount((ulong)total, exact ? 1.0 : 0.5));
        if (_progressShown) Post(() => ProgressPolicy.Write(this, new ProgressRecord(ListingProgressId, ListingActivity, "done") { RecordType = ProgressRecordType.Completed }));
    }

    /// <summary>
    /// Tasks go to the pipeline a thousand (or the rest of a page) at a time, in one trip each. After the first batch of
    /// a page comes the page's "started" signal (see <see cref="ConsumedAsync"/>).
    /// </summary>
    private void FlushBatch()
    {
        if (_batch.Count == 0) return;
        PostObjects(_batch);
        _batch = new List<object>(BatchSize);
        PostPageStarted();
    }

    private void PostPageStarted()
    {
        if (_pageStartedPosted) return;
        _pageStartedPosted = true;
        var started = _pageStarted;
        Post(() => started.TrySetResult());
    }

    private const int BatchSize = 1000;
    private List<object> _batch = new(BatchSize);
    private TaskCompletionSource _pageStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _pageStartedPosted;
    private const int ListingProgressId = 1;
    private const string ListingActivity = "Listing Cloud Foundry tasks";
    private long _listed;
    private long _expected;
    private bool _progressShown;

    /// <summary>
    /// Called between pages: completes once the pipeline has written the page's first batch (all earlier pages are then
    /// written too), so the next page is fetched while PowerShell works through the rest of this one, and the listing is
    /// never more than a page ahead of its consumer. A consumer that stops within the first thousand objects
    /// (<c>Select-Object -First 1</c>) ends the command before the signal, so no further page is requested. Shows the
    /// progress of a listing long enough to need more than one page.
    /// </summary>
    private Task ConsumedAsync(CancellationToken cancellationToken)
    {
        FlushBatch();
        PostPageStarted(); // a page that wrote nothing (all skipped) still signals, after what came before it
        var started = _pageStarted;
        _pageStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pageStartedPosted = false;
        var listed = Interlocked.Read(ref _listed);
        var expected = _expected;
        Post(() =>
        {
            _progressShown = true;
            var status = expected > 0 ? $"{listed:N0} of {expected:N0} tasks" : $"{listed:N0} tasks";
            ProgressPolicy.Write(this, new ProgressRecord(ListingProgressId, ListingActivity, status)
            {
                PercentComplete = expected > 0 ? (int)Math.Min(100, listed * 100 / expected) : -1,
            });
        });
        return started.Task.WaitAsync(cancellationToken);
    }

    /// <summary>-Guid without an app: each task fetched directly (with its command, for developers).</summary>
    private async Task GetByGuidAsync(CfSession session, IEnumerable<string> guids, CancellationToken cancellationToken)
    {
        var query = BuildQuery();
        foreach (var guid in guids.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            CfTask task;
            try
            {
                task = await session.Tasks.GetAsync(guid, cancellationToken).ConfigureAwait(false);
            }
            catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
            {
                PostError(error, guid);
                continue;
            }
            if (query.NameMatch is { } match && !match(task.Name)) continue;
            if (query.Names is { } names && !names.Contains(task.Name)) continue;
            if (query.States is { } states && !states.Contains(task.State)) continue;
            PostObject(task);
        }
    }

    private TaskListQuery BuildQuery()
    {
        Func<string, bool>? match = null;
        if (Name is { } names && names.Any(WildcardPattern.ContainsWildcardCharacters))
        {
            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();
            match = name => patterns.Any(p => p.IsMatch(name));
        }
        return new TaskListQuery
        {
            Names = match is null ? Name : null,
            NameMatch = match,
            States = State,
            SequenceIds = SequenceId,
            Guids = Guid,
        };
    }
}
