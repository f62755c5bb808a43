using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Services;
using CfTasks.Completion;
using CfTasks.Output;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Gets what a task printed, from log-cache, or follows it live (help: docs/cmdlets/Get-CfTaskLog.md).</summary>
[Cmdlet(VerbsCommon.Get, "CfTaskLog", DefaultParameterSetName = TaskSet)]
[OutputType(typeof(CfLogEntry))]
[OutputType(typeof(string))]
public sealed class GetCfTaskLogCommand : CfTargetedCmdlet
{
    private const string TaskSet = "Task";
    private const string AppSet = "AppName";

    /// <summary>The task(s) whose log to read, e.g. from Get-CfTask or Start-CfTask.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TaskSet)]
    [ValidateNotNull]
    public CfTask[]? Task { get; set; }

    /// <summary>The app whose task lines to read (in the targeted space).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = AppSet)]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    [ValidateCfName]
    public string? AppName { get; set; }

    /// <summary>Only the tasks of this name (every run of it).</summary>
    [Parameter(Position = 1, ParameterSetName = AppSet)]
    [ArgumentCompleter(typeof(TaskNameCompleter))]
    [ValidateCfName]
    public string? TaskName { get; set; }

    /// <summary>Keep reading new lines as they arrive; for a task, until it has finished.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Tail { get; set; }

    /// <summary>Only lines written at or after this time (a Get-Date value, or text: local time unless it names a zone).</summary>
    [Parameter]
    [TimeTransformation]
    public DateTimeOffset Since { get; set; }

    /// <summary>Mask secret-looking values (passwords, tokens, keys, VCAP_SERVICES credentials); see docs/log-redaction.md.</summary>
    [Parameter]
    public SwitchParameter Redact { get; set; }

    /// <summary>Write the lines as text, exactly as the cf CLI prints them (without its three-space indent).</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Add the cell's container lines (creating/destroying the task's container).</summary>
    [Parameter]
    public SwitchParameter IncludeLifecycle { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var options = new LogReadOptions
        {
            Tail = MyInvocation.BoundParameters.ContainsKey(nameof(Tail)) ? Tail : null,
            Since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since : null,
            IncludeLifecycle = IncludeLifecycle.IsPresent,
        };

        if (ParameterSetName == AppSet)
        {
            var session = ResolveSession();
            Run(async ct =>
            {
                var app = await session.Apps.GetByNameAsync(AppName!, ct).ConfigureAwait(false);
                var entries = Follow.IsPresent
                    ? session.Logs.FollowAppTaskLogAsync(app, TaskName, options, ct)
                    : session.Logs.GetAppTaskLogAsync(app, TaskName, options, ct);
                await WriteEntriesAsync(entries, Follow.IsPresent ? $"Log of {(TaskName is null ? "the tasks" : $"task {TaskName}")} of app {app.Name}" : null).ConfigureAwait(false);
            });
            return;
        }

        foreach (var task in Task ?? [])
        {
            var session = ResolveSession(task.Origin);
            // One task at a time (limit 1), so each task's log comes out whole; a failure is reported for that task only.
            StartConcurrent(ct => WriteEntriesAsync(Follow.IsPresent
                ? session.Logs.FollowTaskAsync(task, options, ct)
                : session.Logs.GetTaskLogAsync(task, options, ct), Follow.IsPresent ? $"Log of task {TaskService.Describe(task)}" : null), limit: 1, errorTarget: task);
        }
    }

    /// <summary>
    /// Writes the entries (as lines of text with -Raw); a followed log (<paramref name="group"/> set) is a collapsible
    /// section of a CI step log, with a progress bar counting its lines for a person at a console.
    /// </summary>
    private async Task WriteEntriesAsync(IAsyncEnumerable<CfLogEntry> entries, string? group = null)
    {
        if (group is not null) Post(() => PipelineHost.BeginGroup(this, group));
        var progressId = Interlocked.Increment(ref _progressIds);
        try
        {
            await WriteAllAsync(entries, StopToken, WriteEntry, group is null ? null : lines =>
                new ProgressRecord(progressId, group, $"{lines:N0} lines so far; following until the task ends (Ctrl+C stops)"), progressEvery: 50).ConfigureAwait(false);
        }
        finally
        {
            if (group is not null) Post(() => PipelineHost.EndGroup(this));
        }
    }

    private void WriteEntry(CfLogEntry read)
    {
        var entry = Redact.IsPresent ? LogRedactor.Redact(read) : read;
        if (!Raw.IsPresent)
        {
            WriteObject(entry);
            return;
        }
        foreach (var line in CfLogLineFormat.Format(entry)) WriteObject(line);
    }

    private int _progressIds;
}
