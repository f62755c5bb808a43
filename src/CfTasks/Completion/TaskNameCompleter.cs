using System.Collections;
using CfTasks.Client;

namespace CfTasks.Completion;

/// <summary>
/// Completes a task name (Get-CfTask -Name, Get-CfTaskLog -TaskName) with the names of the app's recent tasks; the app
/// is the -AppName already typed on the command line, or every app of the space when none is.
/// </summary>
public sealed class TaskNameCompleter : CfNameCompleter
{
    /// <inheritdoc />
    protected override Task<IReadOnlyList<string>> GetNamesAsync(CfSession session, IDictionary fakeBoundParameters, CancellationToken cancellationToken)
    {
        var app = BoundString(fakeBoundParameters, "AppName") ?? BoundString(fakeBoundParameters, "App");
        if (app is not null && System.Management.Automation.WildcardPattern.ContainsWildcardCharacters(app)) app = null;
        return session.Completion.TaskNamesAsync(app, cancellationToken);
    }
}
