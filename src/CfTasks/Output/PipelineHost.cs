using System.Management.Automation;
using System.Text;
using static CfTasks.Output.CiEnvironment;

namespace CfTasks.Output;

/// <summary>
/// What CfTasks tells a CI system it runs under, in one place: Azure DevOps (<c>TF_BUILD=True</c>) gets
/// <c>##vso[task.logissue type=error]</c> for a failed task and <c>##[group]</c>/<c>##[endgroup]</c> around a followed
/// task log; GitHub Actions (<c>GITHUB_ACTIONS=true</c>) gets <c>::error::</c> and <c>::group::</c>/<c>::endgroup::</c>.
/// Elsewhere nothing extra is written. Lines go to the information stream tagged PSHOST, like Write-Host, so they reach
/// the step log in order with the task's own lines and stay out of the output objects.
/// </summary>
internal static class PipelineHost
{
    private static CiEnvironment.CiSystem Current => CiEnvironment.Current;

    /// <summary>Reports a failed task as an error of the step (Azure DevOps: shown in the run's summary).</summary>
    public static void TaskFailed(Cmdlet cmdlet, CfTask task)
    {
        var reason = $"Task {task.Name} (#{task.SequenceId}) of app {task.AppName ?? task.AppGuid} failed: {task.FailureReason ?? "no reason given"}";
        switch (Current)
        {
            case CiSystem.AzureDevOps:
                Write(cmdlet, "##vso[task.logissue type=error]" + EscapeAzureData(reason));
                break;
            case CiSystem.GitHubActions:
                Write(cmdlet, "::error title=Cloud Foundry task failed::" + EscapeGitHubData(reason));
                break;
        }
    }

    /// <summary>Opens a collapsible section of the step log (nothing outside CI).</summary>
    public static void BeginGroup(Cmdlet cmdlet, string title)
    {
        var line = SingleLine(title);
        switch (Current)
        {
            case CiSystem.AzureDevOps: Write(cmdlet, "##[group]" + line); break;
            case CiSystem.GitHubActions: Write(cmdlet, "::group::" + line); break;
        }
    }

    /// <summary>Closes the section <see cref="BeginGroup"/> opened.</summary>
    public static void EndGroup(Cmdlet cmdlet)
    {
        switch (Current)
        {
            case CiSystem.AzureDevOps: Write(cmdlet, "##[endgroup]"); break;
            case CiSystem.GitHubActions: Write(cmdlet, "::endgroup::"); break;
        }
    }

    /// <summary>
    /// A task's log line made inert for the CI system: a task must not be able to drive the build agent by printing
    /// <c>##vso[task.setvariable ...]</c> or <c>::add-mask::</c>. Only the echo on the host is changed, never the
    /// CfLogEntry objects.
    /// </summary>
    public static string Neutralize(string line) => Current switch
    {
        CiSystem.AzureDevOps when line.Contains("##vso[", StringComparison.OrdinalIgnoreCase) || line.Contains("##[", StringComparison.Ordinal)
            => line.Replace("##", "#\u200B#", StringComparison.Ordinal),
        CiSystem.GitHubActions when line.TrimStart().StartsWith("::", StringComparison.Ordinal)
            => line.Replace("::", ":\u200B:", StringComparison.Ordinal),
        _ => line,
    };

    private static void Write(Cmdlet cmdlet, string line) =>
        cmdlet.WriteInformation(new HostInformationMessage { Message = line, NoNewLine = false }, ["PSHOST"]);

    /// <summary>Azure DevOps' escaping of a logging command's message.</summary>
    internal static string EscapeAzureData(string text) => new StringBuilder(text)
        .Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A").ToString();

    /// <summary>GitHub Actions' escaping of a workflow command's message.</summary>
    internal static string EscapeGitHubData(string text) => new StringBuilder(text)
        .Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A").ToString();

    private static string SingleLine(string text) => text.Replace("\r", " ").Replace("\n", " ");
}
