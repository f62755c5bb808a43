using System.Management.Automation;

namespace CfTasks.Output;

/// <summary>
/// Whether a progress bar is worth drawing: only for a person at a console. In CI (Azure DevOps, GitHub Actions, any
/// system setting <c>CI</c>), with redirected input or output, in a non-interactive process, or with
/// <c>$ProgressPreference = 'SilentlyContinue'</c>, progress records are not written at all, so step logs never fill
/// with progress noise. Every CfTasks progress bar goes through <see cref="Write"/>.
/// </summary>
internal static class ProgressPolicy
{
    /// <summary>Writes <paramref name="record"/> when progress is wanted (call on the pipeline thread).</summary>
    public static void Write(Cmdlet cmdlet, ProgressRecord record)
    {
        if (record.RecordType == ProgressRecordType.Completed || IsWanted(cmdlet)) cmdlet.WriteProgress(record);
    }

    /// <summary>Whether progress bars are wanted for this command (call on the pipeline thread).</summary>
    public static bool IsWanted(Cmdlet cmdlet)
    {
        if (cmdlet is PSCmdlet ps && ps.GetVariableValue("ProgressPreference") is ActionPreference preference
            && preference is ActionPreference.SilentlyContinue or ActionPreference.Ignore)
            return false;
        return IsInteractiveConsole();
    }

    /// <summary>A person at a console: interactive, not under CI, input and output not redirected.</summary>
    public static bool IsInteractiveConsole()
    {
        if (!Environment.UserInteractive || CiEnvironment.Current != CiEnvironment.CiSystem.None) return false;
        try
        {
            return !Console.IsOutputRedirected && !Console.IsInputRedirected;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
