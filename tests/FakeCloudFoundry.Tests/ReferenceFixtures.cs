using System.Text.Json.Nodes;

namespace FakeCloudFoundry.Tests;

/// <summary>The real-CF wire examples in <c>../shared/reference/fixtures</c> (next to the repository root).</summary>
internal static class ReferenceFixtures
{
    private static readonly Lazy<string> Directory = new(Locate);

    public static JsonNode Load(string fileName)
    {
        var path = Path.Combine(Directory.Value, fileName);
        Assert.True(File.Exists(path), $"reference fixture missing: {path}");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }

    /// <summary>Walks up from the test binaries to the folder with CfTasks.sln, then <c>../shared/reference/fixtures</c>.</summary>
    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "CfTasks.sln"))) continue;
            var fixtures = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference", "fixtures"));
            if (!System.IO.Directory.Exists(fixtures))
                throw new InvalidOperationException($"The reference fixtures are expected at {fixtures} (../shared/reference/fixtures from the repository root) but that folder does not exist.");
            return fixtures;
        }
        throw new InvalidOperationException($"No CfTasks.sln above {AppContext.BaseDirectory}: cannot locate the repository root and the reference fixtures.");
    }
}
