using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace CfTasks.Runtime;

/// <summary>
/// The connections of each PowerShell runspace and which one is the default. Held per runspace (not process-wide),
/// so two runspaces in one process never share a target.
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

    /// <summary>The session's default target, or null.</summary>
    public static CfTarget? Default
    {
        get
        {
            var targets = Current;
            lock (targets.Gate) return targets.Default;
        }
    }

    /// <summary>Every target connected in this runspace.</summary>
    public static IReadOnlyList<CfTarget> All
    {
        get
        {
            var targets = Current;
            lock (targets.Gate) return targets.All.ToList();
        }
    }

    /// <summary>Adds a target and makes it the default.</summary>
    public static void Add(CfTarget target)
    {
        var targets = Current;
        lock (targets.Gate)
        {
            targets.All.Add(target);
            targets.Default = target;
        }
    }

    /// <summary>Forgets a target; the default falls back to the most recent remaining one.</summary>
    public static void Remove(CfTarget target)
    {
        var targets = Current;
        lock (targets.Gate)
        {
            targets.All.Remove(target);
            if (ReferenceEquals(targets.Default, target)) targets.Default = targets.All.LastOrDefault();
        }
    }
}
