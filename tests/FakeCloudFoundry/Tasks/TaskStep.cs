namespace FakeCloudFoundry.Tasks;

/// <summary>One step of the fake's task script language.</summary>
public abstract record TaskStep
{
    public sealed record Echo(string Text, string Stream) : TaskStep;

    public sealed record Sleep(TimeSpan Duration) : TaskStep;

    /// <summary>An OUT line stamped when it is written but delivered to log-cache <see cref="Delay"/> later.</summary>
    public sealed record Late(TimeSpan Delay, string Text) : TaskStep;

    public sealed record Exit(int Code) : TaskStep;

    public sealed record NumberedLines(int Count) : TaskStep;

    public sealed record PrintEnvironment : TaskStep;

    /// <summary>Anything else: takes the default duration and prints nothing.</summary>
    public sealed record Opaque(string Text) : TaskStep;
}
