using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using CfTasks.Client;

namespace CfTasks.Runtime;

/// <summary>
/// The connections of each PowerShell runspace and which one is the default. Held per runspace (not process-wide),
/// so two runspaces in one process never share a target. A connection leaves only by being forgotten, and a forgotten
/// connection's session is closed at once (its tokens dropped); the default is never replaced by another connection
/// behind the user's back.
/// </summary>
internal static class CfTargetRegistry
{
    private static readonly ConditionalWeakTable<Runspace, RunspaceTargets> ByRunspace = new();
    private static readonly RunspaceTargets NoRunspace = new();

    private sealed class RunspaceTargets
    {
        public readonly object Gate = new();
        public readonly List<CfTarget> All = [];
        public CfTarget? Default;
    }

    private static RunspaceTargets Current =>
        Runspace.DefaultRunspace is { } runspace ? ByRunspace.GetValue(runspace, _ => new RunspaceTargets()) : NoRunspace;

    /// <summary>The session's default target, or null (nothing connected, or the default was disconnected).</summary>
    public static CfTarget? Default
    {
        get
        {
            var targets = Current;
            lock (targets.Gate) return targets.Default;
        }
    }

    /// <summary>Every target connected in this runspace: the default first, then the others in the order they connected.</summary>
    public static IReadOnlyList<CfTarget> All
    {
        get
        {
            var targets = Current;
            lock (targets.Gate)
            {
                return targets.Default is { } first ? [first, .. targets.All.Where(t => !ReferenceEquals(t, first))] : targets.All.ToList();
            }
        }
    }

    /// <summary>
    /// Adds a new connection and makes it the default. A connection to the same API endpoint as the same user or client
    /// is replaced (and closed): connecting again, say to fix the space, never leaves a second one behind.
    /// </summary>
    public static void Add(CfTarget target)
    {
        var targets = Current;
        List<CfTarget> replaced;
        lock (targets.Gate)
        {
            replaced = targets.All.Where(existing => IsSameConnection(existing, target)).ToList();
            foreach (var old in replaced) targets.All.Remove(old);
            targets.All.Add(target);
            targets.Default = target;
        }
        foreach (var old in replaced) Close(old);
    }

    /// <summary>Forgets a target and closes its session. When it was the default, there is no default any more.</summary>
    public static void Remove(CfTarget target)
    {
        var targets = Current;
        lock (targets.Gate)
        {
            targets.All.Remove(target);
            if (ReferenceEquals(targets.Default, target)) targets.Default = null;
        }
        Close(target);
    }

    private static bool IsSameConnection(CfTarget existing, CfTarget added) =>
        existing.ApiEndpoint == added.ApiEndpoint
        && existing.Session is CfSession old && added.Session is CfSession @new
        && old.SignedInAs is { } who && who == @new.SignedInAs;

    /// <summary>Detaches the session from the target (which then reports "not connected") and drops its tokens.</summary>
    private static void Close(CfTarget target)
    {
        if (target.Session is CfSession session)
        {
            target.Session = null;
            session.Dispose();
        }
    }
}
