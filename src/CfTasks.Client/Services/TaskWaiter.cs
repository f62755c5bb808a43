using System.Diagnostics;
using System.Runtime.CompilerServices;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Waits until tasks are Succeeded or Failed (Canceling is not terminal), polling every <see cref="PollInterval"/> with
/// batched <c>GET /v3/tasks?guids=</c> requests (at most <see cref="GuidsPerPoll"/> guids each, never one request per
/// task), as the cf CLI's <c>--wait</c> does every 3 s.
/// </summary>
public sealed class TaskWaiter
{
    /// <summary>How many guids one <c>guids=</c> poll carries.</summary>
    public const int GuidsPerPoll = 50;

    private readonly ICloudControllerApi _cloudController;
    private readonly PagedReader _paging;
    private readonly CfTarget _target;

    internal TaskWaiter(ICloudControllerApi cloudController, PagedReader paging, CfTarget target)
    {
        _cloudController = cloudController;
        _paging = paging;
        _target = target;
    }

    /// <summary>How often a wait polls.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Yields each task as it finishes, and after each round of polls where the wait stands; when
    /// <paramref name="timeout"/> passes, yields the unfinished ones with a TaskWaitTimeout error. A task that no longer
    /// exists is yielded with a TaskNotFound error.
    /// </summary>
    public async IAsyncEnumerable<TaskWaitUpdate> WaitAsync(IEnumerable<CfTask> tasks, TimeSpan? timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, CfTask>(StringComparer.Ordinal);
        foreach (var task in tasks)
            if (!pending.ContainsKey(task.Guid)) pending.Add(task.Guid, task);
        var total = pending.Count;
        var finished = 0;
        var clock = Stopwatch.StartNew();
        TaskWaitProgress Progress() => new(total, finished, pending.Values.ToList(), clock.Elapsed);
        var firstPoll = true;
        while (pending.Count > 0)
        {
            if (!firstPoll)
            {
                var delay = PollInterval;
                if (timeout is { } limit)
                {
                    var left = limit - clock.Elapsed;
                    if (left <= TimeSpan.Zero) break;
                    if (left < delay) delay = left;
                }
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            firstPoll = false;

            foreach (var batch in pending.Keys.Chunk(GuidsPerPoll).ToList())
            {
                var page = await _paging.FirstPageAsync(
                    ct => _cloudController.ListTasks(batch, null, null, null, null, null, null, GuidsPerPoll, ct),
                    CfJsonContext.Default.ListTaskResource, cancellationToken).ConfigureAwait(false);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var outcomes = new List<TaskWaitOutcome>();
                foreach (var resource in page.Resources ?? [])
                {
                    if (!pending.TryGetValue(resource.Guid, out var known)) continue;
                    seen.Add(resource.Guid);
                    // GET /v3/tasks never carries command: keep the one we knew.
                    var current = CfObjectMapper.ToTask(resource.Command is null && known.Command is not null ? resource with { Command = known.Command } : resource,
                        AppPlacement.Of(known), known.Origin ?? _target);
                    if (!current.IsTerminal)
                    {
                        pending[resource.Guid] = current;
                        continue;
                    }
                    pending.Remove(resource.Guid);
                    outcomes.Add(new TaskWaitOutcome(current, null));
                }
                foreach (var gone in batch.Where(g => !seen.Contains(g)))
                {
                    var known = pending[gone];
                    pending.Remove(gone);
                    outcomes.Add(new TaskWaitOutcome(known, CfErrors.TaskGone(known)));
                }
                foreach (var outcome in outcomes)
                {
                    finished++;
                    yield return new TaskWaitUpdate(Progress(), outcome);
                }
            }
            yield return new TaskWaitUpdate(Progress());
            if (timeout is { } max && clock.Elapsed >= max) break;
        }

        foreach (var task in pending.Values.ToList())
        {
            pending.Remove(task.Guid);
            finished++;
            yield return new TaskWaitUpdate(Progress(), new TaskWaitOutcome(task, CfErrors.TaskWaitTimeout(task, timeout)));
        }
    }
}
