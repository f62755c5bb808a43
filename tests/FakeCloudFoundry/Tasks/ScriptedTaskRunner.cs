namespace FakeCloudFoundry.Tasks;

/// <summary>
/// The ordinary fake's runner: plays a <see cref="TaskScript"/> instantly, stamping each line with the fake time
/// at which it "happens". Nothing is executed. Lines stamped in the future only become visible to log-cache
/// readers when the fake clock reaches them.
/// </summary>
public sealed class ScriptedTaskRunner(TimeSpan defaultDuration) : ITaskRunner
{
    private const long Millisecond = 1_000_000;

    public ITaskExecution Start(TaskLaunch launch, ITaskOutput output)
    {
        var cursor = launch.StartAtNs;
        var exitCode = 0;
        foreach (var step in TaskScript.Parse(launch.Command))
        {
            switch (step)
            {
                case TaskStep.Echo echo:
                    output.Write(cursor, echo.Stream, echo.Text);
                    cursor += Jitter(1, 3);
                    break;
                case TaskStep.Late late:
                    output.Write(cursor, "OUT", late.Text, visibleAtNs: cursor + late.Delay.Ticks * 100);
                    cursor += Jitter(1, 3);
                    break;
                case TaskStep.Sleep sleep:
                    cursor += sleep.Duration.Ticks * 100;
                    break;
                case TaskStep.NumberedLines lines:
                    for (var i = 1; i <= lines.Count; i++)
                    {
                        output.Write(cursor, "OUT", "line " + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        cursor += Millisecond;
                    }
                    break;
                case TaskStep.PrintEnvironment:
                    foreach (var line in EnvironmentDump.Lines(launch))
                    {
                        output.Write(cursor, "OUT", line);
                        cursor += Random.Shared.NextInt64(20_000, 120_000);
                    }
                    break;
                case TaskStep.Opaque:
                    cursor += defaultDuration.Ticks * 100;
                    break;
                case TaskStep.Exit exit:
                    exitCode = exit.Code;
                    goto done;
            }
        }
    done:
        output.Exited(cursor + Jitter(2, 6), exitCode);
        return NothingToCancel.Instance;
    }

    private static long Jitter(int fromMs, int toMs) => Random.Shared.NextInt64(fromMs * Millisecond, toMs * Millisecond);

    private sealed class NothingToCancel : ITaskExecution
    {
        public static readonly NothingToCancel Instance = new();

        public void Cancel()
        {
        }
    }
}
