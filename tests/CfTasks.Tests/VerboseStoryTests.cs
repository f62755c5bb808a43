using System.Text.RegularExpressions;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>-Verbose tells the story of a run: one line per HTTP request with method, path, status and time.</summary>
public sealed class VerboseStoryTests : IClassFixture<FakeFixture>, IDisposable
{
    private static readonly Regex HttpLine = new(@"^(GET|POST|PUT|PATCH|DELETE) (?<url>\S+) (?<status>\d{3}) [^()]*\((?<ms>\d+) ms\)$");
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public VerboseStoryTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    public void Dispose() => _ps.Dispose();

    [Fact]
    public void Every_request_of_a_command_is_one_verbose_line_with_method_path_status_and_time()
    {
        _ps.Connect(_fixture.Api);
        _ps.Run("Start-CfTask training-app -Name story -Command 'echo hi' | Out-Null");
        _fixture.Fake.State.ClearRequests();

        var result = _ps.Run("Get-CfTask -AppName training-app -Verbose");

        Assert.Empty(result.Errors);
        var lines = result.Verbose.Select(v => HttpLine.Match(v)).Where(m => m.Success).ToList();
        var requests = _fixture.Fake.State.Requests();
        Assert.NotEmpty(requests);
        Assert.Equal(requests.Count, lines.Count);
        foreach (var request in requests)
        {
            Assert.Contains(lines, l => new Uri(l.Groups["url"].Value).AbsolutePath == request.Path && l.Groups["status"].Value == request.Status.ToString());
        }
        Assert.Contains(lines, l => l.Groups["url"].Value.Contains("/v3/apps/") && l.Groups["url"].Value.Contains("/tasks"));
        Assert.DoesNotContain(result.Verbose, v => v.Contains("bearer", StringComparison.OrdinalIgnoreCase) || v.Contains("eyJ"));
    }

    [Fact]
    public void A_failing_request_and_its_retry_are_both_told()
    {
        _ps.Connect(_fixture.Api);
        _fixture.Fake.State.AddFault(new FakeCloudFoundry.Faults.FaultRule { Method = "GET", Path = "^/v3/apps$", Status = 503, Count = 1 });

        var result = _ps.Run("Get-CfApp training-app -Verbose");

        Assert.Empty(result.Errors);
        var apps = result.Verbose.Where(v => v.Contains("/v3/apps?")).ToList();
        Assert.Equal(3, apps.Count);
        Assert.Matches(HttpLine, apps[0]);
        Assert.Contains(" 503 Service Unavailable ", apps[0]);
        Assert.Contains("retry 1 of", apps[1]);
        Assert.Matches(HttpLine, apps[2]);
        Assert.Contains(" 200 OK ", apps[2]);
    }

    [Fact]
    public void Without_verbose_nothing_is_told()
    {
        _ps.Connect(_fixture.Api);
        var result = _ps.Run("Get-CfApp");
        Assert.Empty(result.Verbose);
    }
}
