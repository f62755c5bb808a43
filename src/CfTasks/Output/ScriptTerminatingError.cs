using System.Management.Automation;

namespace CfTasks.Output;

/// <summary>
/// An error that ends the whole script, not just the statement: what <c>-ErrorAction Stop</c> makes of an error.
/// ThrowTerminatingError only ends the statement, so <c>pwsh -File step.ps1</c> would still exit 0 after it; a pipeline
/// step that started a task with <c>Start-CfTask -Wait</c> must fail when the task fails. PowerShell treats an
/// ActionPreferenceStopException as script-terminating (exit code 1 under -File, catchable with try/catch), and this one
/// reports the ErrorRecord it carries (ErrorId, category, target, message with the failure reason).
/// </summary>
public sealed class ScriptTerminatingError : ActionPreferenceStopException
{
    private readonly ErrorRecord _record;

    /// <summary>Wraps <paramref name="record"/>.</summary>
    public ScriptTerminatingError(ErrorRecord record) : base(record.Exception.Message, record.Exception) => _record = record;

    /// <inheritdoc />
    public override ErrorRecord ErrorRecord => _record;
}
