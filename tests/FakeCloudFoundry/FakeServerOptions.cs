namespace FakeCloudFoundry;

/// <summary>How a fake Cloud Foundry server is started.</summary>
public sealed class FakeServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Reserved for the emulator mode of a later issue, where tasks run as real local processes through an
    /// <see cref="Tasks.ITaskRunner"/>. The ordinary fake never runs commands; starting with this set fails for now.
    /// </summary>
    public bool Emulator { get; init; }

    /// <summary>How many fake seconds pass per real second (restored by reset).</summary>
    public double ClockSpeed { get; init; } = 1.0;

    /// <summary>How long a step the script language does not know takes, in fake time.</summary>
    public TimeSpan DefaultTaskDuration { get; init; } = TimeSpan.FromSeconds(2);
}
