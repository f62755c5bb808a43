using System.Collections;
using CfTasks.Client;

namespace CfTasks.Completion;

/// <summary>Completes -Space with the spaces of the -Organization already typed, else of the targeted organization.</summary>
public sealed class SpaceNameCompleter : CfNameCompleter
{
    /// <inheritdoc />
    protected override Task<IReadOnlyList<string>> GetNamesAsync(CfSession session, IDictionary fakeBoundParameters, CancellationToken cancellationToken) =>
        session.Completion.SpaceNamesAsync(BoundString(fakeBoundParameters, "Organization"), cancellationToken);
}
