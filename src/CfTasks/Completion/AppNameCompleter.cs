using System.Collections;
using CfTasks.Client;

namespace CfTasks.Completion;

/// <summary>Completes -AppName with the apps of the targeted space.</summary>
public sealed class AppNameCompleter : CfNameCompleter
{
    /// <inheritdoc />
    protected override Task<IReadOnlyList<string>> GetNamesAsync(CfSession session, IDictionary fakeBoundParameters, CancellationToken cancellationToken) =>
        session.Completion.AppNamesAsync(cancellationToken);
}
