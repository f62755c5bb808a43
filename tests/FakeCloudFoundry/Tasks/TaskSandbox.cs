namespace FakeCloudFoundry.Tasks;

/// <summary>
/// A task's stand-in for a container's disk: a fresh temporary directory with <c>app/</c> (a copy of the app's
/// files; HOME and working directory, like <c>/home/vcap/app</c>) and <c>tmp/</c> (TMPDIR). Deleted when the task ends.
/// </summary>
internal sealed class TaskSandbox : IDisposable
{
    private TaskSandbox(string root)
    {
        Root = root;
        AppDirectory = Directory.CreateDirectory(Path.Combine(root, "app")).FullName;
        TmpDirectory = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
    }

    public string Root { get; }
    public string AppDirectory { get; }
    public string TmpDirectory { get; }

    /// <param name="appFolder">the app's source folder to copy, or null for an app without files here</param>
    public static TaskSandbox Create(string taskGuid, string? appFolder)
    {
        // CreateTempSubdirectory makes a directory only the current user can read (0700 on Unix).
        var sandbox = new TaskSandbox(Directory.CreateTempSubdirectory($"cftasks-task-{taskGuid[..Math.Min(8, taskGuid.Length)]}-").FullName);
        try
        {
            if (appFolder is not null) CopyTree(new DirectoryInfo(appFolder), sandbox.AppDirectory);
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (!Directory.Exists(Root)) return;
                foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
                {
                    if (entry.Attributes.HasFlag(FileAttributes.ReadOnly)) entry.Attributes &= ~FileAttributes.ReadOnly;
                }
                Directory.Delete(Root, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(50); // a just-killed process may still hold a file on Windows
            }
        }
    }

    /// <summary>Copies files and folders (File.Copy keeps Unix permissions, so scripts stay executable); links are not followed.</summary>
    private static void CopyTree(DirectoryInfo source, string target)
    {
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry.LinkTarget is not null)
            {
                if (entry is DirectoryInfo) Directory.CreateSymbolicLink(destination, entry.LinkTarget);
                else File.CreateSymbolicLink(destination, entry.LinkTarget);
            }
            else if (entry is DirectoryInfo directory)
            {
                CopyTree(directory, Directory.CreateDirectory(destination).FullName);
            }
            else
            {
                File.Copy(entry.FullName, destination);
            }
        }
    }
}
