using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// Starting a command so that it and everything it spawns can be killed together. On Linux the command is started
/// through <c>setsid</c>, which makes the shell the leader of a new session and process group (its pid is the group
/// id), so one <c>kill(-pgid, SIGKILL)</c> ends the whole tree, including orphaned grandchildren. Without
/// <c>setsid</c> (macOS, Windows) the process tree is walked instead.
/// </summary>
internal static class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>The <c>setsid</c> executable, or null when there is none (then only tree kills are possible).</summary>
    public static string? SetsidPath { get; } = OperatingSystem.IsWindows() ? null : Executables.Find("setsid");

    /// <summary>Whether processes started through <see cref="Wrap"/> lead their own process group.</summary>
    public static bool Supported => SetsidPath is not null;

    /// <summary>Sets the start info to run <paramref name="program"/> with <paramref name="arguments"/> in a new process group when possible.</summary>
    public static void Wrap(ProcessStartInfo startInfo, string program, IEnumerable<string> arguments)
    {
        if (SetsidPath is not null)
        {
            startInfo.FileName = SetsidPath;
            // --wait: should setsid ever need to fork, it waits for the command and passes its exit status on.
            startInfo.ArgumentList.Add("--wait");
            startInfo.ArgumentList.Add(program);
        }
        else
        {
            startInfo.FileName = program;
        }
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
    }

    /// <summary>Kills the group led by the process and, to be sure, its process tree. Never throws.</summary>
    public static void KillAll(Process process, int pid)
    {
        if (Supported) KillGroup(pid);
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // already gone
        }
    }

    /// <summary>Kills what is left of the group after its leader exited (a container is destroyed with everything in it).</summary>
    public static void KillGroup(int pgid)
    {
        if (!Supported || pgid <= 1) return;
        _ = kill(-pgid, SigKill); // ESRCH when the group is already empty
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

/// <summary>Finds executables on the machine's PATH.</summary>
internal static class Executables
{
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : new[] { name };
        var directories = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!OperatingSystem.IsWindows()) directories.AddRange(["/usr/local/bin", "/usr/bin", "/bin"]);
        foreach (var directory in directories)
        {
            foreach (var candidate in names)
            {
                var full = Path.Combine(directory, candidate);
                if (File.Exists(full)) return full;
            }
        }
        return null;
    }
}
