using System.Management.Automation;
using CfTasks.Tests.Infrastructure;
using FakeCloudFoundry.Faults;

namespace CfTasks.Tests;

/// <summary>
/// The client's errors say what happened; the cmdlets add what to do about it in PowerShell terms, in the message the
/// user reads and as the record's RecommendedAction (Output/ErrorCatalog.cs).
/// </summary>
public sealed class ErrorAdviceTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public ErrorAdviceTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
        _ps.Connect(fixture.Api);
    }

    public void Dispose()
    {
        _fixture.Fake.State.ClearFaults();
        _ps.Dispose();
    }

    [Theory]
    [InlineData("Start-CfTask unstaged-app", "CfNoTaskCommand", "-Command")]
    [InlineData("Get-CfTask -SequenceId 3", "CfSequenceIdNeedsApp", "-AppName")]
    [InlineData("Disconnect-CfTarget; Get-CfApp", "CfNotConnected", "Connect-CfTarget")]
    [InlineData("Set-CfTask -Guid 11111111-2222-3333-4444-555555555555 -Label @{}", "CfNothingToUpdate", "-Label")]
    [InlineData("Get-CfTask -CreatedAfter (Get-Date) -CreatedBefore (Get-Date).AddHours(-1)", "CfInvalidTimeRange", "-CreatedBefore")]
    [InlineData("Get-CfTask -LabelSelector 'env = prod'", "CfInvalidLabelSelector", "-Parameter LabelSelector")]
    [InlineData("Start-CfTask training-app -Command x -Droplet 11111111-2222-3333-4444-555555555555", "CfDropletNotFound", "-Droplet")]
    public void The_advice_names_the_cmdlet_or_parameter_that_helps(string script, string errorId, string advice)
    {
        var error = Assert.IsType<ErrorRecord>(_ps.Run(script).FirstError);

        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(advice, error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(advice, error.ErrorDetails?.RecommendedAction ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_log_cache_will_not_give_point_at_connecting_again()
    {
        var task = _ps.Run("Start-CfTask training-app -Command 'echo hi' -Wait").Output.Single();
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/log-cache/api/v1/read/", Action = FaultActions.Status, Status = 404, Body = "" });

        var error = Assert.IsType<ErrorRecord>(_ps.Run("$t | Get-CfTaskLog", new Dictionary<string, object?> { ["t"] = task }).FirstError);

        Assert.StartsWith("CfLogsNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Connect-CfTarget", error.Exception.Message, StringComparison.Ordinal);
    }
}
