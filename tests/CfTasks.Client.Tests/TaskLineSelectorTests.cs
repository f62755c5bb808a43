using CfTasks.Client.Services;

namespace CfTasks.Client.Tests;

/// <summary>
/// Which lines of a same-named source are one task's, fed line by line at fixed times (LogServiceTests covers the same
/// through the fake, where the times come out of its clock and jitter).
/// </summary>
public sealed class TaskLineSelectorTests
{
    private const string Guid = "5b2e1c9a-0d4f-4e3b-8a71-2f6c9d8e1a40";
    private static readonly DateTimeOffset CreatedAt = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero); // CC: whole seconds

    [Theory]
    [InlineData(300)]  // the container is created early in the task's second
    [InlineData(1003)] // ... or only after it: the task was created at 10:00:00.98
    public void An_earlier_run_of_the_same_name_in_the_same_second_is_left_out(int creatingAfterMs)
    {
        var selected = Select(
            Own(-420, "run one"), Own(-410, "Exit status 0"),
            Cell(creatingAfterMs, $"Cell c1 creating container for instance {Guid}"),
            Own(creatingAfterMs + 200, "run two"), Own(creatingAfterMs + 210, "Exit status 0"),
            Own(creatingAfterMs + 600, "run three"));

        Assert.Equal(["run two", "Exit status 0"], selected.Select(e => e.Message));
    }

    [Fact]
    public void Without_the_cells_line_an_exit_followed_by_more_lines_ends_the_earlier_run()
    {
        var selected = Select(Own(100, "run one"), Own(110, "Exit status 0"), Own(500, "run two"), Own(510, "Exit status 0"));

        Assert.Equal(["run two", "Exit status 0"], selected.Select(e => e.Message));
    }

    private static List<CfLogEntry> Select(params CfLogEntry[] entries)
    {
        var task = new CfTask
        {
            Guid = Guid, Name = "job", State = CfTaskState.Succeeded, CreatedAt = CreatedAt, UpdatedAt = CreatedAt.AddSeconds(2),
        };
        var selector = new TaskLineSelector(task, includeLifecycle: false, sinceNs: null);
        var selected = new List<CfLogEntry>();
        foreach (var entry in entries) selector.Offer(entry, selected);
        selector.Flush(selected);
        return selected;
    }

    // Times relative to the task's created_at: the task itself was created within that second, up to 0.99 s after it.
    private static CfLogEntry Own(int ms, string message) => Entry(ms, LogService.TaskSourcePrefix + "job", message);

    private static CfLogEntry Cell(int ms, string message) => Entry(ms, "CELL", message);

    private static CfLogEntry Entry(int ms, string sourceType, string message)
    {
        var at = CreatedAt.AddMilliseconds(ms);
        return new CfLogEntry
        {
            Timestamp = at, TimestampUnixNanoseconds = CfObjectMapper.ToUnixNanoseconds(at), SourceType = sourceType, Message = message,
        };
    }
}
