using System.Runtime.InteropServices;
using FakeCloudFoundry.Tasks;

namespace FakeCloudFoundry.Tests;

/// <summary>
/// The emulator's rules for running a command without a container, checked as the pure functions they are, so the
/// Windows answers are tested here too: which shell (bash, else pwsh, else Windows PowerShell), how a command that
/// names a bash script becomes its PowerShell twin, what environment a Windows task gets, and the layout of the job
/// object structure that kills a Windows task's processes.
/// </summary>
public sealed class EmulatorShellTests
{
    private const string GitBash = @"C:\Program Files\Git\bin\bash.exe";
    private const string WslBash = @"C:\Windows\System32\bash.exe";
    private const string Pwsh = @"C:\Program Files\PowerShell\7\pwsh.exe";
    private const string WindowsPowerShell = @"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe";

    [Theory]
    [InlineData(false, "bash pwsh", "/usr/bin/bash")]
    [InlineData(false, "pwsh", "/opt/microsoft/powershell/7/pwsh")]
    [InlineData(false, "powershell", null)] // there is no Windows PowerShell outside Windows
    [InlineData(false, "", null)]
    [InlineData(true, "bash pwsh powershell", GitBash)]
    [InlineData(true, "pwsh powershell", Pwsh)]
    [InlineData(true, "powershell", WindowsPowerShell)]
    [InlineData(true, "", null)]
    public void The_shell_is_bash_where_there_is_bash_else_pwsh_else_Windows_PowerShell(bool isWindows, string onPath, string? expected)
    {
        var shell = TaskShell.Choose(isWindows, Finder(isWindows, onPath), requested: null);

        Assert.Equal(expected, shell?.Path);
    }

    [Theory]
    [InlineData("powershell", "bash pwsh powershell", Pwsh)]
    [InlineData("PowerShell", "bash powershell", WindowsPowerShell)]
    [InlineData("pwsh", "bash pwsh powershell", Pwsh)]
    [InlineData("bash", "bash pwsh", GitBash)]
    [InlineData("bash", "pwsh", null)]
    [InlineData(WindowsPowerShell, "bash", WindowsPowerShell)]
    [InlineData(@"C:\tools\cmd.exe", "bash", null)] // a path to something that is neither bash nor PowerShell
    public void CFTASKS_EMULATOR_SHELL_picks_the_shell(string requested, string onPath, string? expected)
    {
        var find = Finder(isWindows: true, onPath);
        var shell = TaskShell.Choose(isWindows: true, name => name.Contains('\\') ? name : find(name), requested);

        Assert.Equal(expected, shell?.Path);
    }

    [Fact]
    public void Without_a_shell_every_task_says_why()
    {
        Assert.Contains("neither bash nor pwsh or powershell.exe", TaskShell.NotFoundMessage(isWindows: true, requested: null));
        Assert.Contains("neither bash nor pwsh was found", TaskShell.NotFoundMessage(isWindows: false, requested: " "));
        Assert.Contains("CFTASKS_EMULATOR_SHELL=zsh", TaskShell.NotFoundMessage(isWindows: false, requested: "zsh"));
    }

    [Fact]
    public void Bash_runs_every_command_as_it_is()
    {
        var bash = Shell(isWindows: false, "bash");
        var invocation = bash.Prepare("tasks/fail.sh && echo \"$HOME\"", AppFiles());

        Assert.Null(invocation.Refusal);
        Assert.Equal("/usr/bin/bash", invocation.Program);
        Assert.Equal(["-c", "tasks/fail.sh && echo \"$HOME\""], invocation.Arguments);
    }

    [Theory]
    [InlineData("tasks/printenv.sh", "tasks/printenv.ps1")]
    [InlineData("./tasks/printenv.sh", "tasks/printenv.ps1")]
    [InlineData("  bash tasks/fail.sh ", "tasks/fail.ps1")]
    [InlineData("sh ./tasks/fail.sh", "tasks/fail.ps1")]
    [InlineData("tasks/long.sh 5", "tasks/long.ps1", "5")]
    [InlineData("tasks/long.sh 5 --name=report_2 a/b", "tasks/long.ps1", "5", "--name=report_2", "a/b")]
    [InlineData("run.sh", "run.ps1")]
    public void With_PowerShell_a_plain_call_of_a_bash_script_runs_its_twin_with_the_same_arguments(string command, string twin, params string[] arguments)
    {
        var pwsh = Shell(isWindows: true, "pwsh");
        var invocation = pwsh.Prepare(command, AppFiles("tasks/printenv.ps1", "tasks/fail.ps1", "tasks/long.ps1", "run.ps1"));

        Assert.Null(invocation.Refusal);
        Assert.Equal(Pwsh, invocation.Program);
        Assert.Equal(new[] { "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", twin }.Concat(arguments), invocation.Arguments);
    }

    [Theory]
    [InlineData("echo hi; exit 3")]
    [InlineData("bin/rake db:migrate")]
    [InlineData("echo see install.sh")] // names a .sh the app does not have: only words
    public void With_PowerShell_any_other_command_is_handed_over_unchanged(string command)
    {
        var powershell = Shell(isWindows: true, "powershell");
        var invocation = powershell.Prepare(command, AppFiles("tasks/fail.sh", "tasks/fail.ps1"));

        Assert.Null(invocation.Refusal);
        Assert.Equal(WindowsPowerShell, invocation.Program);
        Assert.Equal(["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", command], invocation.Arguments);
    }

    [Theory]
    [InlineData("tasks/default.sh", "no PowerShell twin tasks/default.ps1")]
    [InlineData("tasks/fail.sh && echo after", "in a way only bash understands")]
    [InlineData("tasks/long.sh \"$SECONDS\"", "in a way only bash understands")]
    [InlineData("bash -c 'tasks/fail.sh'", "in a way only bash understands")]
    [InlineData("../other-app/tasks/fail.sh", "outside the app")]
    public void With_PowerShell_a_bash_script_it_cannot_translate_is_refused_with_the_reason(string command, string reason)
    {
        var pwsh = Shell(isWindows: false, "pwsh");
        var invocation = pwsh.Prepare(command, AppFiles("tasks/default.sh", "tasks/fail.sh", "tasks/fail.ps1", "tasks/long.sh", "tasks/long.ps1"));

        Assert.NotNull(invocation.Refusal);
        Assert.Contains(reason, invocation.Refusal);
        Assert.Equal(127, TaskShell.NotRunnableExitStatus);
    }

    [Fact]
    public void A_Windows_task_gets_the_container_variables_the_system_variables_Windows_needs_and_nothing_else()
    {
        var machine = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Path"] = @"C:\Windows\system32;C:\Program Files\Git\bin", ["SystemRoot"] = @"C:\Windows", ["ComSpec"] = @"C:\Windows\system32\cmd.exe",
            ["LOCALAPPDATA"] = @"C:\Users\ada\AppData\Local", ["TEMP"] = @"C:\Users\ada\AppData\Local\Temp",
            ["PSModulePath"] = @"C:\Users\ada\Documents\PowerShell\Modules", ["CF_PASSWORD"] = "from-the-admins-session",
        };
        var shell = Shell(isWindows: true, "bash");

        var env = ContainerEnvironment.For(Launch(), @"C:\t\app", @"C:\t\tmp", shell, isWindows: true, name => machine.GetValueOrDefault(name));

        Assert.Equal(machine["Path"], env["PATH"]);
        Assert.Equal(@"C:\Windows", env["SystemRoot"]);
        Assert.Equal(@"C:\Windows\system32\cmd.exe", env["ComSpec"]);
        Assert.Equal(@"C:\Users\ada\AppData\Local", env["LOCALAPPDATA"]);
        Assert.Equal(@"C:\t\tmp", env["TEMP"]);
        Assert.Equal(@"C:\t\tmp", env["TMP"]);
        Assert.Equal(@"C:\t\tmp", env["TMPDIR"]);
        Assert.Equal(@"C:\t\app", env["HOME"]);
        Assert.Equal("8m", env["MEMORY_LIMIT"]);
        Assert.False(env.ContainsKey("CF_PASSWORD"));
        Assert.False(env.ContainsKey("PSModulePath")); // Windows PowerShell must build its own, not inherit PowerShell 7's
        Assert.False(env.ContainsKey("WSLENV")); // Git for Windows' bash sees Windows variables as they are
    }

    [Fact]
    public void With_WSLs_bash_WSLENV_carries_the_container_variables_and_translates_the_paths()
    {
        var find = Finder(isWindows: true, "bash");
        var wsl = TaskShell.Choose(isWindows: true, name => name == "bash" ? WslBash : find(name), requested: null)!;

        var env = ContainerEnvironment.For(Launch(), @"C:\t\app", @"C:\t\tmp", wsl, isWindows: true, name => name == "SystemRoot" ? @"C:\Windows" : null);

        var shared = env["WSLENV"].Split(':');
        Assert.Contains("HOME/p", shared);
        Assert.Contains("TMPDIR/p", shared);
        Assert.Contains("VCAP_APPLICATION", shared);
        Assert.Contains("VCAP_SERVICES", shared);
        Assert.Contains("DATABASE_PASSWORD", shared);
        Assert.DoesNotContain("PATH", shared); // WSL keeps its own
        Assert.True(ContainerEnvironment.IsWslBash(wsl, @"C:\Windows\"));
        Assert.False(ContainerEnvironment.IsWslBash(Shell(isWindows: true, "bash"), @"C:\Windows"));
    }

    [Fact]
    public void Off_Windows_nothing_of_the_machine_is_passed_and_the_shells_folder_is_on_PATH()
    {
        var pwsh = TaskShell.Choose(isWindows: false, name => name == "pwsh" ? "/home/ada/.dotnet/tools/pwsh" : null, requested: null)!;

        var env = ContainerEnvironment.For(Launch(), "/tmp/t/app", "/tmp/t/tmp", pwsh, isWindows: false, _ => "from the machine");

        Assert.Equal("/usr/local/bin:/usr/bin:/bin:/home/ada/.dotnet/tools", env["PATH"]);
        Assert.False(env.ContainsKey("SystemRoot"));
        Assert.False(env.ContainsKey("TEMP"));
        Assert.DoesNotContain(env.Values, v => v == "from the machine");
    }

    [Fact]
    public void The_job_object_limit_structure_has_the_size_Windows_expects()
    {
        // JOBOBJECT_EXTENDED_LIMIT_INFORMATION: 144 bytes in a 64-bit process, 112 in a 32-bit one. A wrong layout would
        // make SetInformationJobObject fail on Windows (and the emulator fall back to tree kills without saying so).
        Assert.Equal(RuntimeInformation.ProcessArchitecture is Architecture.X86 or Architecture.Arm ? 112 : 144, WindowsJob.LimitInformationSize);
    }

    // ----- helpers -----

    private static Func<string, string?> Finder(bool isWindows, string onPath)
    {
        var names = onPath.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return name => !names.Contains(name) ? null : (isWindows, name) switch
        {
            (true, "bash") => GitBash,
            (true, "pwsh") => Pwsh,
            (true, "powershell") => WindowsPowerShell,
            (false, "pwsh") => "/opt/microsoft/powershell/7/pwsh",
            (false, var other) => "/usr/bin/" + other,
            _ => null,
        };
    }

    private static TaskShell Shell(bool isWindows, string name) =>
        TaskShell.Choose(isWindows, Finder(isWindows, name), requested: name)!;

    private static Func<string, bool> AppFiles(params string[] files) => path => files.Contains(path);

    private static TaskLaunch Launch() =>
        new("5d2c8a1e-0000-4000-8000-000000000001", "printenv", "tasks/printenv.sh", 0, 8, 64,
            new TaskEnvironment("app-guid", "training-app", "space-guid", "demo-space", "org-guid", "demo-org", "http://127.0.0.1:1"));
}
