using System.Text.RegularExpressions;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>
/// The layering docs/architecture.md draws, checked on the source: cmdlets use the client's public surface (never its
/// Http/ or Auth/ internals), Http/ uses nothing above it, the client has no PowerShell, and ErrorRecords are made in
/// one place (Output/ErrorCatalog.cs).
/// </summary>
public sealed class ArchitectureTests
{
    private static string Src => Path.Combine(RepositoryPaths.Root, "src");

    private static IEnumerable<(string File, string Text)> Sources(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Src, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(Src, f), File.ReadAllText(f)));

    [Fact]
    public void Cmdlets_use_the_clients_public_surface_only()
    {
        var offending = Sources("CfTasks").Where(s => Regex.IsMatch(s.Text, @"using CfTasks\.Client\.(Http|Auth|Api|Models);")).Select(s => s.File).ToList();
        Assert.Empty(offending);
    }

    [Fact]
    public void Http_depends_on_nothing_above_it()
    {
        var offending = Sources(Path.Combine("CfTasks.Client", "Http"))
            .Where(s => Regex.IsMatch(s.Text, @"using CfTasks\.Client\.(Services|Api|Auth);|CfSession\b")).Select(s => s.File).ToList();
        Assert.Empty(offending);
    }

    [Fact]
    public void The_client_has_no_PowerShell_in_it()
    {
        Assert.DoesNotContain("System.Management.Automation", File.ReadAllText(Path.Combine(Src, "CfTasks.Client", "CfTasks.Client.csproj")), StringComparison.Ordinal);
        Assert.Empty(Sources("CfTasks.Client").Where(s => s.Text.Contains("System.Management.Automation", StringComparison.Ordinal)).Select(s => s.File));
    }

    [Fact]
    public void ErrorRecords_are_made_only_by_the_error_catalogue()
    {
        var offending = Sources("CfTasks")
            .Where(s => !s.File.EndsWith("ErrorCatalog.cs", StringComparison.Ordinal) && s.Text.Contains("new ErrorRecord(", StringComparison.Ordinal))
            .Select(s => s.File).ToList();
        Assert.Empty(offending);
    }
}
