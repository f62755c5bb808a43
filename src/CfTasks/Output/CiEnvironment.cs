namespace CfTasks.Output;

/// <summary>Which CI system, if any, this process runs under: the one reading of the CI environment variables.</summary>
internal static class CiEnvironment
{
    /// <summary>The CI systems whose log commands CfTasks writes.</summary>
    internal enum CiSystem { None, AzureDevOps, GitHubActions, Other }

    private static readonly string[] OtherCiVariables = ["TF_BUILD", "GITHUB_ACTIONS", "CI", "BUILD_BUILDID", "JENKINS_URL", "TEAMCITY_VERSION", "GITLAB_CI"];

    /// <summary>
    /// Azure DevOps (<c>TF_BUILD=True</c>), GitHub Actions (<c>GITHUB_ACTIONS=true</c>), another CI system (one of the
    /// usual variables set to anything but <c>false</c>), or none.
    /// </summary>
    public static CiSystem Current
    {
        get
        {
            if (string.Equals(Environment.GetEnvironmentVariable("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase)) return CiSystem.AzureDevOps;
            if (string.Equals(Environment.GetEnvironmentVariable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase)) return CiSystem.GitHubActions;
            foreach (var name in OtherCiVariables)
                if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value && !value.Equals("false", StringComparison.OrdinalIgnoreCase)) return CiSystem.Other;
            return CiSystem.None;
        }
    }
}
