using System.Text.RegularExpressions;

namespace FakeCloudFoundry.Tasks;

/// <summary>Which kind of shell runs an emulated task's command.</summary>
public enum ShellKind
{
    Bash,
    PowerShell,
}

/// <summary>
/// The shell the emulator runs task commands with, and how a command becomes that shell's arguments. Both are pure
/// functions of their inputs (is this Windows, what is on PATH, the command, which files the app has) so the rules
/// are tested on any machine:
/// <list type="bullet">
/// <item>the shell: <c>bash</c> when it is on PATH (Linux, macOS, Git for Windows, WSL); otherwise PowerShell —
/// <c>pwsh</c> when it is on PATH, else (Windows only) <c>powershell.exe</c>. <see cref="OverrideVariable"/> picks one
/// explicitly (<c>bash</c>, <c>pwsh</c>, <c>powershell</c> or a path to one of them).</item>
/// <item>with bash, every command runs as <c>bash -c '&lt;command&gt;'</c>.</item>
/// <item>with PowerShell, a command that is a plain call of an app script <c>tasks/x.sh</c> (optionally <c>./</c>,
/// <c>bash</c> or <c>sh</c> before it, simple words after it) runs the script's PowerShell twin <c>tasks/x.ps1</c>
/// with <c>-File</c> and the same arguments; a command naming one of the app's <c>.sh</c> files in any other way, a
/// script outside the app's folder, or a script without a twin, is refused (exit status 127, with the reason on stderr); any other command is handed to
/// PowerShell unchanged with <c>-Command</c> (<c>echo hi; exit 3</c> means the same in both shells).</item>
/// </list>
/// </summary>
public sealed partial class TaskShell
{
    /// <summary>The environment variable that picks the shell: <c>bash</c>, <c>pwsh</c>, <c>powershell</c> or a path.</summary>
    public const string OverrideVariable = "CFTASKS_EMULATOR_SHELL";

    /// <summary>What a refused command exits with, as a shell does for a command it cannot find.</summary>
    public const int NotRunnableExitStatus = 127;

    private static readonly string[] PowerShellOptions = ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass"];

    private TaskShell(ShellKind kind, string path)
    {
        Kind = kind;
        Path = path;
    }

    public ShellKind Kind { get; }

    /// <summary>The shell's executable.</summary>
    public string Path { get; }

    /// <summary>The executable's name without directory or <c>.exe</c>: bash, pwsh or powershell.</summary>
    public string Name => ExecutableName(Path);

    /// <summary>How commands run, for the emulator's banner.</summary>
    public string Description => Kind == ShellKind.Bash
        ? $"{Name} -c"
        : $"{Name}: tasks/*.sh run as their tasks/*.ps1 twins, other commands with -Command";

    /// <summary>The shell for this machine: its PATH and <see cref="OverrideVariable"/>.</summary>
    public static TaskShell? ForThisMachine() =>
        Choose(OperatingSystem.IsWindows(), Executables.Find, Environment.GetEnvironmentVariable(OverrideVariable));

    /// <summary>Picks the shell.</summary>
    /// <param name="isWindows">whether the emulator runs on Windows (only there is <c>powershell.exe</c> a candidate)</param>
    /// <param name="find">finds an executable by name on PATH, or checks a path; null when there is none</param>
    /// <param name="requested">the value of <see cref="OverrideVariable"/>, if any</param>
    /// <returns>the shell, or null when none of the candidates is on this machine</returns>
    public static TaskShell? Choose(bool isWindows, Func<string, string?> find, string? requested)
    {
        var candidates = string.IsNullOrWhiteSpace(requested) ? ["bash", "pwsh", "powershell"] : Requested(requested.Trim());
        foreach (var candidate in candidates)
        {
            if (!isWindows && IsNamed(candidate, "powershell")) continue; // Windows PowerShell exists only on Windows
            if (find(candidate) is not { } path) continue;
            if (KindOf(path) is { } kind) return new TaskShell(kind, path);
        }
        return null;
    }

    /// <summary>Why no shell was found, for the stderr of every task.</summary>
    public static string NotFoundMessage(bool isWindows, string? requested) =>
        string.IsNullOrWhiteSpace(requested)
            ? $"emulator: no shell to run task commands with: neither bash nor {(isWindows ? "pwsh or powershell.exe" : "pwsh")} was found on this machine's PATH."
            : $"emulator: {OverrideVariable}={requested.Trim()} names no bash, pwsh or powershell found on this machine.";

    /// <summary>
    /// The program and arguments that run <paramref name="command"/> in this shell, or why it cannot run.
    /// </summary>
    /// <param name="command">the task's command, as Cloud Foundry got it</param>
    /// <param name="appFileExists">whether a path relative to the app's folder is one of the app's files</param>
    public ShellInvocation Prepare(string command, Func<string, bool> appFileExists)
    {
        if (Kind == ShellKind.Bash) return ShellInvocation.Run(Path, ["-c", command]);

        var call = ScriptCall().Match(command);
        if (call.Success)
        {
            var script = call.Groups["script"].Value;
            if (script.Split('/').Contains(".."))
                return ShellInvocation.Refuse($"emulator: {script}.sh is outside the app's files; only the app's own scripts have PowerShell twins.");
            var twin = script + ".ps1";
            if (!appFileExists(twin))
            {
                return ShellInvocation.Refuse(
                    $"emulator: {script}.sh is a bash script, bash is not on this machine's PATH, and the app has no PowerShell twin {twin} to run instead (see docs/emulator.md).");
            }
            var arguments = PowerShellOptions.Concat(["-File", twin]).Concat(call.Groups["argument"].Captures.Select(c => c.Value));
            return ShellInvocation.Run(Path, arguments.ToList());
        }

        foreach (Match mention in ScriptMention().Matches(command))
        {
            if (appFileExists(mention.Groups["path"].Value))
            {
                return ShellInvocation.Refuse(
                    $"emulator: the command uses the bash script {mention.Groups["path"].Value} in a way only bash understands, and bash is not on this machine's PATH; " +
                    "PowerShell runs a script's twin only when the command is just the script and simple arguments (see docs/emulator.md).");
            }
        }
        return ShellInvocation.Run(Path, PowerShellOptions.Concat(["-Command", command]).ToList());
    }

    private static IEnumerable<string> Requested(string requested) =>
        requested.ToLowerInvariant() switch
        {
            "bash" => ["bash"],
            "pwsh" => ["pwsh"],
            "powershell" => ["pwsh", "powershell"], // PowerShell, whichever the machine has: the fallback without bash
            _ => [requested], // a path
        };

    private static ShellKind? KindOf(string path)
    {
        var name = ExecutableName(path);
        if (IsNamed(name, "bash")) return ShellKind.Bash;
        if (IsNamed(name, "pwsh") || IsNamed(name, "powershell")) return ShellKind.PowerShell;
        return null;
    }

    /// <summary>The file name without <c>.exe</c>, for Windows and Unix paths alike (the rules are tested on either).</summary>
    private static string ExecutableName(string path)
    {
        var name = path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
    }

    private static bool IsNamed(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>A plain script call: [bash|sh] [./]dir/name.sh [simple words].</summary>
    [GeneratedRegex(@"^\s*(?:(?:bash|sh)\s+)?(?:\./)?(?<script>(?:[\w.-]+/)*[\w.-]+)\.sh(?:\s+(?<argument>[\w./:=,@%+-]+))*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptCall();

    /// <summary>Any relative path ending in .sh, wherever it is in the command.</summary>
    [GeneratedRegex(@"(?<![\w./-])(?:\./)?(?<path>(?:[\w.-]+/)*[\w.-]+\.sh)(?![\w.-])", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptMention();
}

/// <summary>How to start a task's command, or (<see cref="Refusal"/>) why it cannot be started.</summary>
public sealed record ShellInvocation(string Program, IReadOnlyList<string> Arguments, string? Refusal)
{
    public static ShellInvocation Run(string program, IReadOnlyList<string> arguments) => new(program, arguments, null);

    public static ShellInvocation Refuse(string reason) => new("", [], reason);
}
