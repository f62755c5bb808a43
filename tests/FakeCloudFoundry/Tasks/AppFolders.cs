namespace FakeCloudFoundry.Tasks;

/// <summary>
/// Where the emulator finds an app's files (its "droplet"): <c>&lt;apps root&gt;/&lt;app name&gt;</c>, unless an
/// explicit folder is given for that app name. The default apps root is the repository's <c>samples/</c> folder,
/// found by walking up from the fake's own location.
/// </summary>
public sealed class AppFolders
{
    private readonly IReadOnlyDictionary<string, string> _explicit;

    public AppFolders(string? appsRoot, IReadOnlyDictionary<string, string>? explicitFolders = null)
    {
        AppsRoot = appsRoot is null ? null : Path.GetFullPath(appsRoot);
        _explicit = explicitFolders?.ToDictionary(p => p.Key, p => Path.GetFullPath(p.Value), StringComparer.Ordinal)
                    ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>The folder holding one sub-folder per app, or null when none was given or found.</summary>
    public string? AppsRoot { get; }

    /// <summary>The app's source folder, or null when there is none (the task then runs in an empty folder).</summary>
    public string? FolderOf(string appName)
    {
        if (_explicit.TryGetValue(appName, out var folder)) return Directory.Exists(folder) ? folder : null;
        if (AppsRoot is null || appName.Length == 0 || appName.IndexOfAny(['/', '\\']) >= 0 || appName is "." or "..") return null;
        var candidate = Path.Combine(AppsRoot, appName);
        return Directory.Exists(candidate) ? candidate : null;
    }

    /// <summary>The nearest <c>samples/</c> folder above <paramref name="start"/> (default: the fake's own folder).</summary>
    public static string? FindSamplesFolder(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var samples = Path.Combine(dir.FullName, "samples");
            if (Directory.Exists(samples)) return samples;
        }
        return null;
    }
}
