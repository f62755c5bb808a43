namespace CfTasks;

/// <summary>The state of a Cloud Foundry task. Only <see cref="Succeeded"/> and <see cref="Failed"/> are terminal.</summary>
public enum CfTaskState
{
    /// <summary>Accepted by Cloud Controller, not yet running.</summary>
    Pending,
    /// <summary>Running in its container.</summary>
    Running,
    /// <summary>Exited with status 0. Terminal.</summary>
    Succeeded,
    /// <summary>Cancel requested; not terminal, it becomes Failed (or, in a race, Succeeded).</summary>
    Canceling,
    /// <summary>Exited non-zero, was cancelled, or could not run. Terminal.</summary>
    Failed,
}

/// <summary>Helpers for <see cref="CfTaskState"/>.</summary>
public static class CfTaskStates
{
    /// <summary>True for the states a task never leaves: Succeeded and Failed.</summary>
    public static bool IsTerminal(this CfTaskState state) => state is CfTaskState.Succeeded or CfTaskState.Failed;
}
