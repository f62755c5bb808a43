using System.Text.Json.Nodes;
using CfTasks.Testing;

namespace FakeCloudFoundry.Tests;

/// <summary>The real-CF wire examples, from the repository's copy in <c>tests/reference/fixtures</c>.</summary>
internal static class ReferenceFixtures
{
    public static JsonNode Load(string fileName)
    {
        var path = ReferenceFiles.Fixture(fileName);
        Assert.True(File.Exists(path), $"reference fixture missing: {path}");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }
}
