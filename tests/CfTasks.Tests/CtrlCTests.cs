using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>Ctrl+C (StopProcessing) returns within a second from every long-running command.</summary>
public sealed class CtrlCTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public CtrlCTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
        _ps.Connect(fixture.Api);
    }

    public void Dispose() => _ps.Dispose();

    private bool TaskIsRunning(string name) =>
        _fixture.Fake.State.TasksOf(_fixture.Fake.State.FindApp("demo-space", "training-app")!.Guid).Any(t => t.Name == name && t.State == "RUNNING");

    private int LogReads() => _fixture.Fake.State.Requests().Count(r => r.Path.StartsWith("/log-cache/api/v1/read/", StringComparison.Ordinal));

    [Theory]
    [InlineData("Start-CfTask training-app -Name long -Command 'sleep 600' -Wait")]
    [InlineData("Start-CfTask training-app -Name long -Command 'sleep 600' -Follow")]
    public async Task Start_cftask_waiting_or_following_stops_within_a_second(string script)
    {
        var took = await _ps.RunAndStopAsync(script, () => TaskIsRunning("long"));
        Assert.True(took < TimeSpan.FromSeconds(1), $"stopping took {took}");
    }

    [Fact]
    public async Task Wait_cftask_stops_within_a_second()
    {
        _ps.Run("$t = Start-CfTask training-app -Name long -Command 'sleep 600'");
        var took = await _ps.RunAndStopAsync("$t | Wait-CfTask", () => _fixture.Fake.State.Requests().Count(r => r.Path == "/v3/tasks") > 0);
        Assert.True(took < TimeSpan.FromSeconds(1), $"stopping took {took}");
    }

    [Fact]
    public async Task Get_cftasklog_follow_stops_within_a_second_and_stops_polling()
    {
        _ps.Run("$t = Start-CfTask training-app -Name long -Command 'sleep 600'");
        var took = await _ps.RunAndStopAsync("$t | Get-CfTaskLog -Follow", () => LogReads() >= 2);
        Assert.True(took < TimeSpan.FromSeconds(1), $"stopping took {took}");

        var after = LogReads();
        await Task.Delay(1500);
        Assert.Equal(after, LogReads());
    }

    [Fact]
    public async Task Stop_cftask_waiting_for_the_cancel_to_finish_stops_within_a_second()
    {
        // The cancel is accepted, then the task stays CANCELING because the next polls hang.
        _ps.Run("$t = Start-CfTask training-app -Name long -Command 'sleep 600'");
        _fixture.Fake.State.AddFault(new FakeCloudFoundry.Faults.FaultRule { Method = "GET", Path = "^/v3/tasks", Action = "hang" });
        var took = await _ps.RunAndStopAsync("$t | Stop-CfTask -Wait -Confirm:$false",
            () => _fixture.Fake.State.Stats().InFlight > 0 && _fixture.Fake.State.Requests().Any(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)));
        Assert.True(took < TimeSpan.FromSeconds(1), $"stopping took {took}");
    }
}
