using System.Collections;
using CfTasks.Client;

namespace CfTasks.Completion;

/// <summary>Completes -Organization with the organizations visible on the connection.</summary>
public sealed class OrganizationNameCompleter : CfNameCompleter
{
    /// <inheritdoc />
    protected override Task<IReadOnlyList<string>> GetNamesAsync(CfSession session, IDictionary fakeBoundParameters, CancellationToken cancellationToken) =>
        session.Completion.OrganizationNamesAsync(cancellationToken);
}
