namespace FakeCloudFoundry.Tasks;

/// <summary>
/// How a task's command "runs". The ordinary fake uses <see cref="ScriptedTaskRunner"/>, which never executes
/// anything: it reads the command as a tiny script and announces all output up front with (future) fake-clock
/// timestamps. The emulator of a later issue plugs in a runner that starts a real local process and reports lines
/// as they arrive (from any thread: <see cref="ITaskOutput"/> is thread-safe).
/// </summary>
public interface ITaskRunner
{
    ITaskExecution Start(TaskLaunch launch, ITaskOutput output);
}

/// <summary>A started task run.</summary>
public interface ITaskExecution
{
    /// <summary>Stop the run (the fake itself writes the CELL lines and the final state).</summary>
    void Cancel();
}

/// <summary>Where a runner reports the command's output and exit. Lines after a cancel or after exit are ignored.</summary>
public interface ITaskOutput
{
    /// <param name="timestampNs">fake-clock time of the line (may be in the future for scripted runs)</param>
    /// <param name="stream"><c>OUT</c> or <c>ERR</c></param>
    /// <param name="line">the text without a trailing newline</param>
    void Write(long timestampNs, string stream, string line);

    /// <summary>A line stamped <paramref name="timestampNs"/> that log-cache only delivers at <paramref name="visibleAtNs"/>.
    /// Runners that cannot know (real processes) never call it; the default delivers it at once.</summary>
    void Write(long timestampNs, string stream, string line, long visibleAtNs) => Write(timestampNs, stream, line);

    void Exited(long timestampNs, int exitCode);
}

/// <summary>Everything a runner may use to start a task.</summary>
public sealed record TaskLaunch(
    string TaskGuid,
    string TaskName,
    string Command,
    long StartAtNs,
    int MemoryInMb,
    int DiskInMb,
    TaskEnvironment Environment);

/// <summary>The app context a task runs in (for the environment dump and, later, real processes).</summary>
public sealed record TaskEnvironment(
    string AppGuid,
    string AppName,
    string SpaceGuid,
    string SpaceName,
    string OrganizationGuid,
    string OrganizationName,
    string ApiUrl);
