using CfTasks.Testing;
using Xunit.Abstractions;

namespace FakeCloudFoundry.Tests;

/// <summary>
/// The repository carries its own copy of the reference (tests/reference) so a fresh clone tests against the same
/// facts. When the original sits beside the repository (../shared/reference), the copy must be identical to it, file
/// for file, so a corrected fixture there is noticed here. Without the original there is nothing to compare.
/// </summary>
public sealed class ReferenceCopyTests(ITestOutputHelper output)
{
    [Fact]
    public void The_repository_copy_of_the_reference_matches_the_shared_original_when_it_is_there()
    {
        Assert.True(File.Exists(ReferenceFiles.Fixture("SOURCES.md")), "tests/reference/fixtures/SOURCES.md is missing");
        Assert.True(File.Exists(Path.Combine(ReferenceFiles.Reference, "cloud-foundry-tasks-api.md")), "tests/reference/cloud-foundry-tasks-api.md is missing");

        if (ReferenceFiles.SharedReference is not { } shared)
        {
            output.WriteLine("No ../shared/reference beside the repository: the repository's copy is used as it is.");
            return;
        }

        var sharedFiles = Files(shared);
        var copiedFiles = Files(ReferenceFiles.Reference).Where(f => !f.EndsWith(".cs", StringComparison.Ordinal)).ToList();
        Assert.Equal(sharedFiles, copiedFiles);
        foreach (var file in sharedFiles)
        {
            var original = File.ReadAllBytes(Path.Combine(shared, file));
            var copy = File.ReadAllBytes(Path.Combine(ReferenceFiles.Reference, file));
            Assert.True(original.AsSpan().SequenceEqual(copy),
                $"tests/reference/{file} differs from ../shared/reference/{file}: copy the new version into the repository.");
        }
    }

    private static List<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
}
