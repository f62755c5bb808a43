using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// A started command together with everything it spawns, so that all of it can be killed at once — as a container is
/// destroyed with everything inside.
/// <list type="bullet">
/// <item>Linux: the command is started through <c>setsid</c>, which makes it the leader of a new session and process
/// group (its pid is the group id), so one <c>kill(-pgid, SIGKILL)</c> ends the whole tree, orphaned grandchildren
/// included.</item>
/// <item>Windows: the process is put in a job object (<see cref="WindowsJob"/>) right after it starts; terminating
/// the job ends every process in it, and closing the job's handle (also when the emulator itself dies) does too.
/// Anything the command spawns before it is in the job (the first moments of its life) escapes the job; the tree
/// kill below still reaches it while its parent lives.</item>
/// <item>Everywhere, and when neither is available (macOS): <see cref="Process.Kill(bool)"/> with the process tree.</item>
/// </list>
/// </summary>
internal sealed class ProcessGroup : IDisposable
{
    private const int SigKill = 9;

    private readonly WindowsJob? _job;
    private volatile bool _disposed;

    private ProcessGroup(Process process, WindowsJob? job)
    {
        Process = process;
        ProcessId = process.Id;
        _job = job;
    }

    /// <summary>The <c>setsid</c> executable, or null when there is none (then only tree kills are possible).</summary>
    public static string? SetsidPath { get; } = OperatingSystem.IsWindows() ? null : Executables.Find("setsid");

    public Process Process { get; }

    /// <summary>The command's process id; on Linux also its process group id.</summary>
    public int ProcessId { get; }

    /// <summary>Whether the processes the command spawns are in a job object (Windows) with it.</summary>
    public bool InJob => _job is not null;

    /// <summary>Starts the invocation in a new process group (Linux) or job object (Windows) when possible.</summary>
    public static ProcessGroup Start(ProcessStartInfo startInfo, ShellInvocation invocation)
    {
        if (SetsidPath is not null)
        {
            startInfo.FileName = SetsidPath;
            // --wait: should setsid ever need to fork, it waits for the command and passes its exit status on.
            startInfo.ArgumentList.Add("--wait");
            startInfo.ArgumentList.Add(invocation.Program);
        }
        else
        {
            startInfo.FileName = invocation.Program;
        }
        foreach (var argument in invocation.Arguments) startInfo.ArgumentList.Add(argument);

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("the process did not start");
        WindowsJob? job = null;
        if (OperatingSystem.IsWindows())
        {
            job = WindowsJob.TryCreate();
            if (job is not null && !job.TryAdd(process))
            {
                job.Dispose();
                job = null;
            }
        }
        return new ProcessGroup(process, job);
    }

    /// <summary>Kills the command and everything it spawned (cancel). Never throws.</summary>
    public void KillAll()
    {
        if (_disposed) return;
        KillRemaining();
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // already gone (an ObjectDisposedException is an InvalidOperationException)
        }
    }

    /// <summary>Kills what is left of the group or job after the command itself exited. Never throws.</summary>
    public void KillRemaining()
    {
        if (_disposed) return;
        if (SetsidPath is not null && ProcessId > 1) _ = kill(-ProcessId, SigKill); // ESRCH when the group is already empty
        _job?.Terminate();
    }

    public void Dispose()
    {
        _disposed = true;
        _job?.Dispose();
        Process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

/// <summary>Finds executables on the machine's PATH.</summary>
internal static class Executables
{
    /// <summary>The full path of <paramref name="nameOrPath"/>: an existing file when it is a path, else the first
    /// match on PATH (on Windows also <c>name.exe</c>, and Windows PowerShell's own folder), or null.</summary>
    public static string? Find(string nameOrPath)
    {
        if (Path.IsPathRooted(nameOrPath) || nameOrPath.Contains(Path.DirectorySeparatorChar) || nameOrPath.Contains('/'))
            return File.Exists(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { nameOrPath + ".exe", nameOrPath } : new[] { nameOrPath };
        var directories = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (OperatingSystem.IsWindows())
        {
            var windows = Environment.GetFolderPath(Environment.SpecialFolder.Windows);
            if (windows.Length > 0) directories.Add(Path.Combine(windows, "System32", "WindowsPowerShell", "v1.0"));
        }
        else
        {
            directories.AddRange(["/usr/local/bin", "/usr/bin", "/bin"]);
        }
        foreach (var directory in directories)
        {
            foreach (var candidate in names)
            {
                var full = Path.Combine(directory.Trim('"'), candidate);
                if (File.Exists(full)) return full;
            }
        }
        return null;
    }
}
