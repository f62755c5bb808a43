using System.Globalization;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// The environment an emulated task's process gets, shaped like a Cloud Foundry task container's: VCAP_APPLICATION,
/// VCAP_SERVICES with a bound service's credentials, CF_INSTANCE_*, PORT, HOME, TMPDIR, MEMORY_LIMIT, LANG, PATH and
/// two user-provided variables holding secrets (so <c>printenv</c> shows why dumping the environment into a log is a
/// leak). Nothing is inherited from the machine's own environment except, on Windows, PATH and the handful of system
/// variables Windows programs need to start at all (<see cref="WindowsSystemVariables"/>; TEMP and TMP are the task's
/// own temporary folder). With WSL's bash, WSLENV lists the container's variables so that they reach the Linux side.
/// The secret values are the public constants of <see cref="EnvironmentDump"/>, so tests and redaction agree.
/// </summary>
public static class ContainerEnvironment
{
    public const string InstanceIp = "127.0.0.1";
    public const string ServiceName = "training-db";

    /// <summary>Passed through on Windows, where without them .NET, PowerShell and most programs fail to start.</summary>
    public static readonly IReadOnlyList<string> WindowsSystemVariables =
    [
        "SystemRoot", "SystemDrive", "windir", "ComSpec", "PATHEXT", "OS", "PROCESSOR_ARCHITECTURE", "NUMBER_OF_PROCESSORS",
        "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "CommonProgramFiles", "CommonProgramFiles(x86)",
        "CommonProgramW6432", "APPDATA", "LOCALAPPDATA", "USERPROFILE", "USERNAME", "USERDOMAIN", "COMPUTERNAME",
    ];

    /// <param name="launch">the task being started</param>
    /// <param name="home">the task's app folder (HOME and working directory)</param>
    /// <param name="tmp">the task's TMPDIR</param>
    /// <param name="shell">the shell that runs the command; its folder is added to PATH when it is not already on it</param>
    public static IReadOnlyDictionary<string, string> For(TaskLaunch launch, string home, string tmp, TaskShell shell) =>
        For(launch, home, tmp, shell, OperatingSystem.IsWindows(), Environment.GetEnvironmentVariable);

    /// <param name="launch">the task being started</param>
    /// <param name="home">the task's app folder (HOME and working directory)</param>
    /// <param name="tmp">the task's TMPDIR</param>
    /// <param name="shell">the shell that runs the command</param>
    /// <param name="isWindows">whether the emulator runs on Windows</param>
    /// <param name="machineVariable">reads one of the machine's own environment variables (Windows only)</param>
    public static IReadOnlyDictionary<string, string> For(
        TaskLaunch launch, string home, string tmp, TaskShell shell, bool isWindows, Func<string, string?> machineVariable)
    {
        var container = Container(launch, home, tmp, isWindows ? machineVariable("PATH") ?? "" : SearchPath(Path.GetDirectoryName(shell.Path)));
        if (!isWindows) return container;

        var result = new SortedDictionary<string, string>(container, StringComparer.OrdinalIgnoreCase);
        foreach (var name in WindowsSystemVariables)
        {
            if (machineVariable(name) is { } value) result[name] = value;
        }
        result["TEMP"] = tmp;
        result["TMP"] = tmp;
        if (IsWslBash(shell, machineVariable("SystemRoot")))
        {
            // WSL hands only the variables WSLENV names to Linux; /p translates a Windows path (C:\...) to /mnt/c/...
            result["WSLENV"] = string.Join(':', container.Keys.Where(n => n != "PATH").Select(n => n is "HOME" or "TMPDIR" ? n + "/p" : n));
        }
        return result;
    }

    /// <summary>Whether the shell is WSL's bash launcher (in the Windows folder), not e.g. Git for Windows' bash.</summary>
    public static bool IsWslBash(TaskShell shell, string? systemRoot) =>
        shell.Kind == ShellKind.Bash && !string.IsNullOrEmpty(systemRoot) &&
        shell.Path.StartsWith(systemRoot.TrimEnd('\\', '/') + "\\", StringComparison.OrdinalIgnoreCase);

    private static SortedDictionary<string, string> Container(TaskLaunch launch, string home, string tmp, string searchPath)
    {
        var env = launch.Environment;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = searchPath,
            ["HOME"] = home,
            ["TMPDIR"] = tmp,
            ["USER"] = "vcap",
            ["LANG"] = "en_US.UTF-8",
            ["PORT"] = "8080",
            ["VCAP_APP_HOST"] = "0.0.0.0",
            ["VCAP_APP_PORT"] = "8080",
            ["MEMORY_LIMIT"] = launch.MemoryInMb.ToString(CultureInfo.InvariantCulture) + "m",
            ["INSTANCE_INDEX"] = "0",
            ["INSTANCE_GUID"] = launch.TaskGuid,
            ["CF_INSTANCE_INDEX"] = "0",
            ["CF_INSTANCE_GUID"] = launch.TaskGuid,
            ["CF_INSTANCE_IP"] = InstanceIp,
            ["CF_INSTANCE_INTERNAL_IP"] = InstanceIp,
            // Tasks have no routes: CF leaves the address and port empty and the port list empty.
            ["CF_INSTANCE_ADDR"] = "",
            ["CF_INSTANCE_PORT"] = "",
            ["CF_INSTANCE_PORTS"] = "[]",
            ["VCAP_APPLICATION"] = EnvironmentDump.VcapApplication(launch),
            ["VCAP_SERVICES"] = VcapServices(),
            // user-provided variables (cf set-env): the kind of secrets a printenv spills into the log
            ["DATABASE_PASSWORD"] = EnvironmentDump.DatabasePassword,
            ["API_TOKEN"] = EnvironmentDump.ApiToken,
            ["TRAINING_GREETING"] = $"hello from {env.AppName}",
        };
    }

    /// <summary>A bound postgres-like service instance; its credentials are the secret part.</summary>
    public static string VcapServices() => EnvironmentDump.Compact(w =>
    {
        const string user = "training_user";
        const string host = "10.0.8.5";
        w.WriteStartObject();
        w.WriteStartArray("postgres");
        w.WriteStartObject();
        w.WriteString("label", "postgres");
        w.WriteNull("provider");
        w.WriteString("plan", "small");
        w.WriteString("name", ServiceName);
        w.WriteString("instance_name", ServiceName);
        w.WriteNull("binding_name");
        w.WriteStartArray("tags");
        w.WriteStringValue("postgres");
        w.WriteStringValue("relational");
        w.WriteEndArray();
        w.WriteStartObject("credentials");
        w.WriteString("hostname", host);
        w.WriteNumber("port", 5432);
        w.WriteString("name", "training");
        w.WriteString("username", user);
        w.WriteString("password", EnvironmentDump.ServicePassword);
        w.WriteString("uri", $"postgres://{user}:{EnvironmentDump.ServicePassword}@{host}:5432/training");
        w.WriteEndObject();
        w.WriteStartArray("volume_mounts");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>A container's PATH, plus the shell's folder when it is elsewhere (e.g. pwsh as a .NET tool).</summary>
    private static string SearchPath(string? shellDirectory)
    {
        const string path = "/usr/local/bin:/usr/bin:/bin";
        return shellDirectory is null || path.Split(':').Contains(shellDirectory) ? path : path + ":" + shellDirectory;
    }
}
