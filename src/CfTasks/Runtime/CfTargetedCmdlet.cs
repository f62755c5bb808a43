using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Output;

namespace CfTasks.Runtime;

/// <summary>
/// A cmdlet that acts on a connection: <c>-Target</c> when given, else the connection a piped object came from, else
/// the session default that Connect-CfTarget set. One script can drive several foundations this way.
/// </summary>
public abstract class CfTargetedCmdlet : CfCmdlet
{
    /// <summary>The connection to act on; defaults to the one Connect-CfTarget made last.</summary>
    [Parameter]
    [ValidateNotNull]
    public CfTarget? Target { get; set; }

    /// <summary>The session to use, or a terminating "run Connect-CfTarget first" error.</summary>
    internal CfSession ResolveSession(CfTarget? origin = null)
    {
        var target = Target ?? origin ?? CfTargetRegistry.Default;
        if (target?.Session is CfSession session) return session;
        ThrowTerminatingError(target is null ? ErrorCatalog.NotConnected() : ErrorCatalog.ConnectionClosed(target));
        return null!;
    }
}
