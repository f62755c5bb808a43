using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using CfTasks.Output;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>
/// <para type="synopsis">Starts a task on an app, like <c>cf run-task</c>, and emits the created CfTask.</para>
/// <para type="description">Without -Command and -Process, the app's 'task' process is the template (its command and
/// sizes), as in the cf CLI; -Process uses another process type. Sizes take cf CLI strings (8M, 64M, 1G, 512MB) or a
/// plain integer of megabytes. Apps piped from Get-CfApp are started concurrently, up to -ThrottleLimit at a time, and
/// each task is emitted as soon as it is created.</para>
/// <para type="description">-Wait polls about every 3 seconds until the task succeeded or failed and emits the final
/// task. A task that ends Failed is a terminating error (CfTaskFailed) carrying Cloud Foundry's failure reason; it ends
/// the script like -ErrorAction Stop does, so a pipeline step (<c>pwsh -File step.ps1</c>) exits 1. Catch it with
/// try/catch to carry on.</para>
/// <para type="description">-Follow (implies -Wait) shows the task's log lines live while it runs, as the cf CLI prints
/// them, on the information stream with the PSHOST tag (displayed by default like Write-Host, so they appear in the
/// console and in an Azure DevOps step log; tag CfTaskLog; 6>$null hides them), then emits the final task.</para>
/// <para type="description">A start is never doubled: each carries a request id label (cftasks-request-id), and when the
/// request fails without a clear answer the task is looked up by that label before it is sent again.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "CfTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CfTask))]
public sealed class StartCfTaskCommand : CfTargetedCmdlet
{
    private const string NameSet = "AppName";
    private const string AppSet = "App";
    private static int _progressIds;

    /// <summary>The app to start the task on.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? AppName { get; set; }

    /// <summary>Apps from Get-CfApp: one task per app.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AppSet, ValueFromPipeline = true)]
    [Alias("InputObject")]
    [ValidateNotNull]
    public CfApp? App { get; set; }

    /// <summary>The command to run; default: the template process's command.</summary>
    [Parameter]
    [Alias("c")]
    [ValidateNotNullOrEmpty]
    public string? Command { get; set; }

    /// <summary>The task's name; default: 8 hex characters chosen by Cloud Foundry.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Memory limit: 8M, 512MB, 1G, 1T or a plain integer of megabytes.</summary>
    [Parameter]
    [Alias("m")]
    [MegabytesTransformation]
    public int? Memory { get; set; }

    /// <summary>Disk limit: 64M, 1G or a plain integer of megabytes.</summary>
    [Parameter]
    [Alias("k")]
    [MegabytesTransformation]
    public int? Disk { get; set; }

    /// <summary>Log rate limit in bytes per second: 512K, 1M, 1G, a plain integer of bytes, or -1 for unlimited.</summary>
    [Parameter]
    [Alias("l")]
    [BytesPerSecondTransformation]
    public long? LogRateLimit { get; set; }

    /// <summary>The process type whose command and sizes are the template (like cf run-task --process).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Process { get; set; }

    /// <summary>Wait until the task succeeded or failed; a failed task is a terminating error.</summary>
    [Parameter]
    [Alias("w")]
    public SwitchParameter Wait { get; set; }

    /// <summary>Wait, and show the task's log lines live while it runs (information stream, shown by default).</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>With -Wait: give up waiting after this many seconds (a non-terminating CfTaskWaitTimeout error).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>How many piped apps are started at once (default 8).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var app = App;
        var appName = app?.Name ?? AppName!;
        var session = ResolveSession(app?.Origin);
        var what = Command is not null ? $"'{Command}'" : Process is not null ? $"the '{Process}' process's command" : "the 'task' process's command";
        if (!ShouldProcess($"app '{appName}'", $"Start task{(Name is null ? "" : $" '{Name}'")} running {what}")) return;

        var request = new TaskStartRequest
        {
            Command = Command,
            Name = Name,
            MemoryInMb = Memory,
            DiskInMb = Disk,
            LogRateLimitInBytesPerSecond = LogRateLimit,
            Process = Process,
        };
        var follow = Follow.IsPresent;
        var wait = Wait.IsPresent || follow;
        var timeout = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        StartConcurrent(async ct =>
        {
            var resolved = app ?? await session.Apps.GetByNameAsync(appName, ct).ConfigureAwait(false);
            var task = await session.Tasks.StartAsync(resolved, request, ct).ConfigureAwait(false);
            if (!wait)
            {
                PostObject(task);
                return;
            }
            if (follow) await FollowAsync(session, task, timeout, ct).ConfigureAwait(false);
            else await WaitForAsync(session, task, timeout, ct).ConfigureAwait(false);
        }, ThrottleLimit, (object?)app ?? appName);
    }

    /// <summary>-Follow: streams the task's log to the information stream until it has finished, then reports it like -Wait.</summary>
    private async Task FollowAsync(CfSession session, CfTask task, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var final = task;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } max) limit.CancelAfter(max);
        try
        {
            await foreach (var entry in session.Logs.FollowTaskAsync(task, null, limit.Token, t => final = t).ConfigureAwait(false))
            {
                foreach (var line in CfLogLineFormat.Format(entry))
                {
                    var message = new HostInformationMessage { Message = line, NoNewLine = false };
                    if (entry.Stream == "ERR") message.ForegroundColor = ConsoleColor.Red;
                    Post(() => WriteInformation(message, ["PSHOST", "CfTaskLog"]));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout is not null)
        {
            PostError(new CfException(CfErrorKind.Timeout, "CfTaskWaitTimeout",
                $"Task {TaskService.Describe(final)} is still {final.State} after {timeout.Value.TotalSeconds:0.#} s.", final), final);
            return;
        }

        if (!final.IsTerminal) final = await session.Tasks.GetAsync(task.Guid, cancellationToken, task.AppName).ConfigureAwait(false);
        if (final.State == CfTaskState.Failed)
        {
            var record = ErrorRecordFactory.From(TaskService.TaskFailed(final), final);
            Post(() =>
            {
                StopProcessing(); // the other starts' waits end too: the command is over
                ThrowTerminatingError(record);
            });
            return;
        }
        PostObject(final);
    }

    private async Task WaitForAsync(CfSession session, CfTask task, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var activity = $"Waiting for task {TaskService.Describe(task)}";
        var progress = new ProgressRecord(Interlocked.Increment(ref _progressIds), activity, $"{task.State}");
        Post(() => WriteProgress(progress));
        try
        {
            await foreach (var outcome in session.Tasks.WaitAsync([task], timeout, p =>
                           {
                               var current = p.Pending.FirstOrDefault()?.State ?? task.State;
                               var status = new ProgressRecord(progress.ActivityId, activity, $"{current} ({p.Elapsed.TotalSeconds:0} s)");
                               Post(() => WriteProgress(status));
                           }, cancellationToken).ConfigureAwait(false))
            {
                if (outcome.Error is { } error)
                {
                    PostError(error, outcome.Task);
                }
                else if (outcome.Task.State == CfTaskState.Failed)
                {
                    var failed = TaskService.TaskFailed(outcome.Task);
                    var record = ErrorRecordFactory.Create(failed, $"{failed.ErrorId},{typeof(StartCfTaskCommand).FullName}",
                        ErrorRecordFactory.Category(failed.Kind), outcome.Task);
                    Post(() =>
                    {
                        StopProcessing(); // the other starts' waits end too: the command is over
                        throw new ScriptTerminatingError(record);
                    });
                }
                else
                {
                    PostObject(outcome.Task);
                }
            }
        }
        finally
        {
            var done = new ProgressRecord(progress.ActivityId, activity, "done") { RecordType = ProgressRecordType.Completed };
            Post(() => WriteProgress(done));
        }
    }
}
