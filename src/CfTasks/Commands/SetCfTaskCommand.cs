using System.Collections;
using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Output;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Changes the labels and annotations of tasks (help: docs/cmdlets/Set-CfTask.md).</summary>
[Cmdlet(VerbsCommon.Set, "CfTask", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CfTask))]
public sealed class SetCfTaskCommand : TaskActionCmdlet
{
    /// <summary>Labels to set; a key set to $null is removed.</summary>
    [Parameter]
    [ValidateNotNull]
    [ValidateCfMetadata(CfMetadataKind.Label)]
    public Hashtable? Label { get; set; }

    /// <summary>Annotations to set; a key set to $null is removed.</summary>
    [Parameter]
    [ValidateNotNull]
    [ValidateCfMetadata(CfMetadataKind.Annotation)]
    public Hashtable? Annotation { get; set; }

    /// <summary>Emit each task as Cloud Foundry answers after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (Label is not { Count: > 0 } && Annotation is not { Count: > 0 })
            ThrowTerminatingError(ErrorCatalog.From(CfErrors.NothingToUpdate(MyInvocation.MyCommand.Name)));
        base.BeginProcessing();
    }

    private IReadOnlyDictionary<string, string?>? _labels;
    private IReadOnlyDictionary<string, string?>? _annotations;

    /// <inheritdoc />
    protected override string Action => Describe(_labels, _annotations);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        _labels = Label is null ? null : MetadataArguments.ToMap(Label);
        _annotations = Annotation is null ? null : MetadataArguments.ToMap(Annotation);
        base.ProcessRecord();
    }

    /// <inheritdoc />
    protected override async Task ActAsync(CfSession session, CfTask task, CancellationToken cancellationToken)
    {
        CfTask updated;
        try
        {
            updated = await session.Tasks.UpdateMetadataAsync(task, _labels, _annotations, cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind is not (CfErrorKind.NotConnected or CfErrorKind.Authentication))
        {
            PostError(error, task);
            return;
        }
        if (PassThru.IsPresent) PostObject(updated);
    }

    /// <summary>What -WhatIf says will change: <c>Set labels build=4711; remove label temp</c>.</summary>
    private static string Describe(IReadOnlyDictionary<string, string?>? labels, IReadOnlyDictionary<string, string?>? annotations)
    {
        var parts = new List<string>();
        void Add(IReadOnlyDictionary<string, string?>? map, string kind)
        {
            if (map is null) return;
            var set = map.Where(p => p.Value is not null).Select(p => $"{p.Key}={p.Value}").ToList();
            var removed = map.Where(p => p.Value is null).Select(p => p.Key).ToList();
            if (set.Count > 0) parts.Add($"set {kind}s {string.Join(", ", set)}");
            if (removed.Count > 0) parts.Add($"remove {kind}s {string.Join(", ", removed)}");
        }
        Add(labels, "label");
        Add(annotations, "annotation");
        var text = string.Join("; ", parts);
        return text.Length == 0 ? "Set labels and annotations" : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
