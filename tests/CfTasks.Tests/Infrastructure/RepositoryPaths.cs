namespace CfTasks.Tests.Infrastructure;

/// <summary>Where the built module and the repository are, for tests run by build.ps1 or by hand.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding CfTasks.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The staged module (out/CfTasks) that build.ps1 produces; CFTASKS_MODULE_PATH overrides it.</summary>
    public static string Module =>
        Environment.GetEnvironmentVariable("CFTASKS_MODULE_PATH") is { Length: > 0 } path ? path : Path.Combine(Root, "out", "CfTasks");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CfTasks.sln"))) return dir.FullName;
        throw new InvalidOperationException("CfTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
