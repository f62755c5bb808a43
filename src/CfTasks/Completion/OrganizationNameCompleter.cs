using System.Collections;
using CfTasks.Client;
using CfTasks.Client.Services;

namespace CfTasks.Completion;

/// <summary>Completes -Organization with the organizations visible on the connection.</summary>
public sealed class OrganizationNameCompleter : CfNameCompleter
{
    /// <inheritdoc />
    protected override Task<IReadOnlyList<string>> GetNamesAsync(CfSession session, IDictionary fakeBoundParameters, CancellationToken cancellationToken) =>
        CompletionService.OrganizationNamesAsync(session, cancellationToken);
}
