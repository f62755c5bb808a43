namespace CfTasks.Testing;

/// <summary>
/// The reference facts about real Cloud Foundry that the tests compare against: the copy kept in the repository
/// (<c>tests/reference</c>: the wire-contract document and the fixtures with their SOURCES.md), so a fresh clone with
/// nothing beside it tests the same things. <see cref="SharedReference"/> is the original the copy was taken from, when
/// a <c>shared</c> folder sits beside the repository (a test then checks the copy is current).
/// </summary>
internal static class ReferenceFiles
{
    private static readonly Lazy<string> Root = new(LocateRepositoryRoot);

    /// <summary>The folder holding CfTasks.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary><c>tests/reference</c> in the repository.</summary>
    public static string Reference => Path.Combine(RepositoryRoot, "tests", "reference");

    /// <summary><c>tests/reference/fixtures</c> in the repository.</summary>
    public static string Fixtures => Path.Combine(Reference, "fixtures");

    /// <summary>The path of one fixture file in the repository's copy.</summary>
    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    /// <summary>The original reference folder beside the repository, or null when there is none (a plain clone).</summary>
    public static string? SharedReference
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "reference"));
            return Directory.Exists(shared) ? shared : null;
        }
    }

    private static string LocateRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CfTasks.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No CfTasks.sln above {AppContext.BaseDirectory}: cannot locate the repository root.");
    }
}
