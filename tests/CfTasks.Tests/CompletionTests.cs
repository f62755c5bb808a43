using System.Management.Automation;
using CfTasks.Tests.Infrastructure;
using FakeCloudFoundry.Faults;

namespace CfTasks.Tests;

/// <summary>Tab completion as a user presses Tab (TabExpansion2 in a session with the module imported).</summary>
public sealed class CompletionTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public CompletionTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    public void Dispose() => _ps.Dispose();

    /// <summary>The values offered for the word at the end of <paramref name="line"/> (file-name fallbacks left out).</summary>
    private static IReadOnlyList<string> Complete(PowerShellSession ps, string line)
    {
        var result = ps.Run(
            "(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | " +
            "Where-Object ResultType -eq 'ParameterValue' | ForEach-Object CompletionText",
            new Dictionary<string, object?> { ["line"] = line });
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        return result.Output.Select(o => o.ToString()).ToList();
    }

    private int CcRequests(string pathPrefix) =>
        _fixture.Fake.State.Requests().Count(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    [Fact]
    public void App_names_of_the_targeted_space_complete_from_what_was_typed()
    {
        _ps.Connect(_fixture.Api);

        Assert.Equal(["billing-api", "billing-reports", "billing-worker"], Complete(_ps, "Start-CfTask -AppName bill"));
        Assert.Equal(["billing-api", "billing-reports", "billing-worker", "training-app", "unstaged-app"], Complete(_ps, "Get-CfTask -AppName "));
        Assert.Equal(["training-app"], Complete(_ps, "Get-CfTaskLog -AppName TR"));
        Assert.Equal(["billing-worker"], Complete(_ps, "Get-CfApp *work"));
        Assert.Equal(["billing-api"], Complete(_ps, "Stop-CfTask -AppName 'billing-a"));
    }

    [Fact]
    public void App_names_cost_one_small_request_and_pressing_tab_again_costs_none()
    {
        _ps.Connect(_fixture.Api);
        _fixture.Fake.State.ClearRequests();

        Complete(_ps, "Start-CfTask -AppName b");
        Complete(_ps, "Start-CfTask -AppName tr");

        var apps = _fixture.Fake.State.Requests().Where(r => r.Path == "/v3/apps").ToList();
        var request = Assert.Single(apps);
        Assert.Contains("per_page=200", request.Query);
        Assert.Contains("space_guids=", request.Query);
    }

    [Fact]
    public void Task_names_come_from_the_app_already_on_the_command_line()
    {
        _ps.Connect(_fixture.Api);
        var started = _ps.Run(
            "Start-CfTask training-app -Name nightly-import -Command 'echo a' | Out-Null; " +
            "Start-CfTask training-app -Name nightly-export -Command 'echo b' | Out-Null; " +
            "Start-CfTask billing-api -Name nightly-billing -Command 'echo c' | Out-Null");
        Assert.Empty(started.Errors);

        Assert.Equal(["nightly-export", "nightly-import"], Complete(_ps, "Get-CfTask -AppName training-app -Name nightly"));
        Assert.Equal(["nightly-export", "nightly-import"], Complete(_ps, "Get-CfTask training-app -Name "));
        Assert.Equal(["nightly-import"], Complete(_ps, "Get-CfTaskLog training-app -TaskName nightly-i"));
        // Without an app: the tasks of the whole space.
        Assert.Equal(["nightly-billing", "nightly-export", "nightly-import"], Complete(_ps, "Get-CfTask -Name n"));
    }

    [Fact]
    public void Organizations_and_spaces_complete_for_set_and_connect_when_connected()
    {
        _ps.Connect(_fixture.Api);

        Assert.Contains("demo-org", Complete(_ps, "Set-CfTarget -Organization "));
        Assert.Equal(["demo-space", "other-space"], Complete(_ps, "Set-CfTarget -Space "));
        Assert.Equal(["demo-space"], Complete(_ps, "Set-CfTarget -Organization demo-org -Space dem"));
        Assert.Equal(["other-space"], Complete(_ps, $"Connect-CfTarget -ApiEndpoint {_fixture.Api} -Organization demo-org -Space o"));
        // Toward another foundation the current connection's names would be wrong: nothing is offered.
        Assert.Empty(Complete(_ps, "Connect-CfTarget -ApiEndpoint https://api.elsewhere.example.com -Space "));
    }

    [Fact]
    public void Get_CfTask_completes_spaces_of_the_organization_typed_and_organizations_to_list()
    {
        _ps.Connect(_fixture.Api);

        Assert.Equal(["demo-space", "other-space"], Complete(_ps, "Get-CfTask -Space "));
        Assert.Equal(["other-space"], Complete(_ps, "Get-CfTask -Organization demo-org -Space o"));
        Assert.Equal(["demo-org"], Complete(_ps, "Get-CfTask -State Failed -Organization dem"));
    }

    [Fact]
    public void States_complete_without_a_connection()
    {
        // -State is a CfTaskState[]: PowerShell completes enum values itself (it takes precedence over an
        // ArgumentCompleter on an enum parameter), and no request is needed.
        Assert.Equal(["Canceling", "Failed", "Pending", "Running", "Succeeded"], Complete(_ps, "Get-CfTask -State "));
        Assert.Equal(["Failed"], Complete(_ps, "Get-CfTask -State fa"));
        Assert.Equal(["Running"], Complete(_ps, "Get-CfTask -State Failed, r"));
    }

    [Fact]
    public void Nothing_is_offered_and_nothing_thrown_when_not_connected()
    {
        Assert.Empty(Complete(_ps, "Start-CfTask -AppName "));
        Assert.Empty(Complete(_ps, "Get-CfTask -AppName training-app -Name "));
        Assert.Empty(Complete(_ps, "Set-CfTarget -Organization "));

        var direct = _ps.Run(
            "foreach ($type in [CfTasks.Completion.AppNameCompleter], [CfTasks.Completion.TaskNameCompleter], " +
            "[CfTasks.Completion.OrganizationNameCompleter], [CfTasks.Completion.SpaceNameCompleter]) { " +
            "  @($type::new().CompleteArgument('Get-CfTask', 'AppName', '', $null, @{})).Count }");
        Assert.Null(direct.Terminating);
        Assert.Equal([0, 0, 0, 0], direct.Output.Select(o => (int)o.BaseObject));
    }

    [Fact]
    public void A_failing_foundation_gives_no_suggestions_instead_of_an_error()
    {
        _ps.Connect(_fixture.Api);
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Status = 500 });
        _fixture.Fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/organizations$", Action = FaultActions.Hang });

        Assert.Empty(Complete(_ps, "Start-CfTask -AppName "));
        Assert.Empty(Complete(_ps, "Set-CfTarget -Organization "));
        Assert.True(CcRequests("/v3/organizations") >= 1);
    }
}
