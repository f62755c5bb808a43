using System.Collections;
using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using CfTasks.Output;
using CfTasks.Completion;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Starts a task on an app, like <c>cf run-task</c>, and emits the created CfTask (help: docs/cmdlets/Start-CfTask.md).</summary>
[Cmdlet(VerbsLifecycle.Start, "CfTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CfTask))]
public sealed class StartCfTaskCommand : CfTargetedCmdlet
{
    private const string NameSet = "AppName";
    private const string AppSet = "App";

    /// <summary>The app to start the task on.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    [ValidateCfName]
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
    [ValidateCfName]
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
    [ValidateCfName]
    public string? Process { get; set; }

    /// <summary>The OS user to run the command as (vcap, or one the operator allows); default: the template process's.</summary>
    [Parameter]
    [ValidateLength(1, 255)]
    public string? User { get; set; }

    /// <summary>Labels for the task (a hashtable), e.g. @{ build = $env:BUILD_BUILDID }.</summary>
    [Parameter]
    [ValidateNotNull]
    [ValidateCfMetadata(CfMetadataKind.Label)]
    public Hashtable? Label { get; set; }

    /// <summary>Annotations for the task (a hashtable of any text up to 5000 characters per value).</summary>
    [Parameter]
    [ValidateNotNull]
    [ValidateCfMetadata(CfMetadataKind.Annotation)]
    public Hashtable? Annotation { get; set; }

    /// <summary>The guid of the app's droplet to run the task on; default: the app's current droplet.</summary>
    [Parameter]
    [ValidateCfGuid]
    public string? Droplet { get; set; }

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

    private readonly List<CfTask> _failed = [];

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
            DropletGuid = Droplet?.Trim(),
            User = User,
            Labels = Label is null ? null : MetadataArguments.ToMap(Label),
            Annotations = Annotation is null ? null : MetadataArguments.ToMap(Annotation),
        };
        var follow = Follow.IsPresent;
        var wait = Wait.IsPresent || follow;
        var timeout = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        StartConcurrent(async ct =>
        {
            var resolved = app ?? await session.Apps.GetByNameAsync(appName, ct).ConfigureAwait(false);
            var task = await session.Tasks.StartAsync(resolved, request, ct).ConfigureAwait(false);
            if (!wait) PostObject(task);
            else if (follow) await FollowAsync(session, task, timeout, ct).ConfigureAwait(false);
            else await WaitAsync(session, task, timeout, ct).ConfigureAwait(false);
        }, ThrottleLimit, (object?)app ?? appName);
    }

    private async Task WaitAsync(CfSession session, CfTask task, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var waiting = new TaskWaiting(this, $"Waiting for task {TaskService.Describe(task)}", total: 1);
        try
        {
            await waiting.WaitAsync(session, [task], timeout, EmitFinal, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Post(waiting.Complete);
        }
    }

    /// <summary>-Follow: streams the task's log to the information stream until it has finished, then reports it like -Wait.</summary>
    private async Task FollowAsync(CfSession session, CfTask task, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        Post(() => PipelineHost.BeginGroup(this, $"Log of task {TaskService.Describe(task)}"));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } max) limit.CancelAfter(max);
        var follow = session.Logs.FollowTaskAsync(task, null, limit.Token);
        try
        {
            await WriteAllAsync(follow, limit.Token, WriteLogLine).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout is not null)
        {
            PostError(CfErrors.TaskWaitTimeout(follow.Task, timeout), follow.Task);
            return;
        }
        finally
        {
            Post(() => PipelineHost.EndGroup(this));
        }
        var final = follow.Task.IsTerminal ? follow.Task : await session.Tasks.RefreshAsync(task, cancellationToken).ConfigureAwait(false);
        Post(() => EmitFinal(final));
    }

    /// <summary>A followed log line, as the cf CLI prints it, on the information stream (shown by default, like Write-Host).</summary>
    private void WriteLogLine(CfLogEntry entry)
    {
        foreach (var line in CfLogLineFormat.Format(entry))
        {
            var message = new HostInformationMessage { Message = PipelineHost.Neutralize(line), NoNewLine = false };
            if (entry.Stream == "ERR") message.ForegroundColor = ConsoleColor.Red;
            WriteInformation(message, ["PSHOST", "CfTaskLog"]);
        }
    }

    /// <summary>
    /// The end of a -Wait (on the pipeline thread): the final task is emitted, and one that ended Failed is kept for the
    /// error that ends the command once every other start's wait has ended too (see <see cref="EndProcessing"/>).
    /// </summary>
    private void EmitFinal(CfTask task)
    {
        WriteObject(task);
        if (task.State != CfTaskState.Failed) return;
        PipelineHost.TaskFailed(this, task);
        _failed.Add(task);
    }

    /// <summary>
    /// After every start (and every wait) has ended: when a waited-for task failed, the command ends the script with
    /// CfTaskFailed carrying Cloud Foundry's failure reasons, like -ErrorAction Stop, so <c>pwsh -File step.ps1</c> exits
    /// non-zero and a CI step fails; the tasks of the other piped apps were still waited for and emitted.
    /// </summary>
    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (_failed.Count == 0) return;
        var error = ErrorCatalog.From(CfErrors.TasksFailed(_failed), null, typeof(StartCfTaskCommand));
        error.CategoryInfo.Activity = MyInvocation.MyCommand.Name; // a thrown record has no InvocationInfo: the console names the command from this
        throw new ScriptTerminatingError(error);
    }
}
