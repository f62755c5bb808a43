using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CfTasks.Completion;

/// <summary>
/// Completes -State with the task states in lifecycle order, each with a tooltip saying what it means. Needs no
/// connection.
/// </summary>
public sealed class TaskStateCompleter : IArgumentCompleter
{
    private static readonly (CfTaskState State, string Meaning)[] States =
    [
        (CfTaskState.Pending, "Accepted, not yet running."),
        (CfTaskState.Running, "Running in a container."),
        (CfTaskState.Succeeded, "Exited with status 0 (terminal)."),
        (CfTaskState.Canceling, "A cancel was requested; not terminal yet."),
        (CfTaskState.Failed, "Exited non-zero, was cancelled or could not run (terminal; see FailureReason)."),
    ];

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        return States
            .Where(s => s.State.ToString().StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s.State.ToString(), s.State.ToString(), CompletionResultType.ParameterValue, s.Meaning))
            .ToList();
    }
}
