using System.Management.Automation;
using CfTasks.Tests.Infrastructure;
using FakeCloudFoundry.Faults;

namespace CfTasks.Tests;

/// <summary>
/// Bad input gets a clear error, never a stack trace or a hang: every row names the ErrorId a script can rely on. Rows
/// with a fault make the fake answer like something that is not Cloud Foundry (HTML, malformed JSON, a huge body).
/// </summary>
public sealed class BadInputTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public BadInputTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
        _ps.Connect(fixture.Api);
        _ps.Run("$api = '" + fixture.Api + "'; $c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force))");
        // A task in a space the developer has no role in, and another app's droplet.
        var elsewhere = fixture.Fake.State.CreateApp(new FakeCloudFoundry.State.AppSpec { Space = "second-space", Name = "elsewhere" });
        fixture.Fake.State.BulkTasks(elsewhere.Guid, new FakeCloudFoundry.State.BulkTaskSpec { Count = 1 });
        var othersDroplet = fixture.Fake.State.AddDroplet(fixture.Fake.State.FindApp("demo-space", "billing-api")!.Guid, new FakeCloudFoundry.State.DropletSpec());
        _ps.Run("$otherSpaceTask = $g; $othersDroplet = $d",
            new Dictionary<string, object?> { ["g"] = fixture.Fake.State.TasksOf(elsewhere.Guid).Single().Guid, ["d"] = othersDroplet.Guid });
    }

    public void Dispose() => _ps.Dispose();

    private const string Transform = "ParameterArgumentTransformationError";
    private const string Validation = "ParameterArgumentValidationError";

    public static TheoryData<string, string, string> Rows => new()
    {
        // sizes
        { "memory with an unknown unit", "Start-CfTask training-app -Command x -Memory 8X", Transform },
        { "negative memory", "Start-CfTask training-app -Command x -Memory -1", Transform },
        { "fractional memory", "Start-CfTask training-app -Command x -Memory 1.5G", Transform },
        { "memory too large", "Start-CfTask training-app -Command x -Memory 99999999999G", Transform },
        { "zero memory", "Start-CfTask training-app -Command x -Memory 0", Transform },
        { "disk with an unknown unit", "Start-CfTask training-app -Command x -Disk 8X", Transform },
        { "disk over the foundation's maximum", "Start-CfTask training-app -Command x -Disk 4G", "CfTaskRejected" },
        { "log rate with an unknown unit", "Start-CfTask training-app -Command x -LogRateLimit 5Q", Transform },
        { "log rate below -1", "Start-CfTask training-app -Command x -LogRateLimit -2", Transform },
        // names
        { "empty app name", "Start-CfTask '' -Command x", Validation },
        { "whitespace app name", "Start-CfTask '   ' -Command x", Validation },
        { "whitespace task name", "Start-CfTask training-app -Command x -Name '   '", Validation },
        { "whitespace name filter", "Get-CfTask training-app -Name ' '", Validation },
        { "empty command", "Start-CfTask training-app -Command ''", Validation },
        { "a 100 kB command", "Start-CfTask training-app -Command ('x' * 100kb)", "CfTaskRejected" },
        { "unknown app", "Start-CfTask no-such-app -Command x", "CfAppNotFound" },
        { "app without a droplet", "Start-CfTask unstaged-app -Command x", "CfTaskRejected" },
        { "app without a task process", "Start-CfTask unstaged-app", "CfNoTaskCommand" },
        { "unknown process type", "Start-CfTask training-app -Process nope", "CfProcessNotFound" },
        { "literal name matching no app", "Get-CfTask -AppName 'zzz'", "CfAppNotFound" },
        { "literal name matching no app (Get-CfApp)", "Get-CfApp 'zzz'", "CfAppNotFound" },
        { "logs of an unknown app", "Get-CfTaskLog -AppName no-such-app", "CfAppNotFound" },
        // numbers and states
        { "throttle limit 0", "Get-CfApp billing-* | Start-CfTask -Command x -ThrottleLimit 0", Validation },
        { "negative timeout", "Start-CfTask training-app -Command x -Wait -Timeout -5", Validation },
        { "negative sequence id", "Get-CfTask training-app -SequenceId -3", Validation },
        { "sequence id without an app", "Get-CfTask -SequenceId 3", "CfSequenceIdNeedsApp" },
        { "unknown sequence id", "Stop-CfTask -AppName training-app -SequenceId 999 -Confirm:$false", "CfTaskNotFound" },
        { "negative tail", "Get-CfTaskLog -AppName training-app -Tail -1", Validation },
        { "unknown state name", "Get-CfTask -State Exploded", "CannotConvertArgumentNoMessage" },
        // guids
        { "invalid guid (Get-CfTask)", "Get-CfTask -Guid 'not-a-guid'", Validation },
        { "invalid guid (Stop-CfTask)", "Stop-CfTask -Guid 'xyz' -Confirm:$false", Validation },
        { "invalid guid (Wait-CfTask)", "Wait-CfTask -Guid '12345'", Validation },
        { "unknown guid", "Get-CfTask -Guid '11111111-2222-3333-4444-555555555555'", "CfTaskNotFound" },
        // targets and endpoints
        { "malformed api url", "Connect-CfTarget 'ht!tp://x y' -Credential $c", "CfInvalidApiEndpoint" },
        { "api url with another scheme", "Connect-CfTarget ftp://api.example.com -Credential $c", "CfInvalidApiEndpoint" },
        { "empty organization", "Set-CfTarget -Organization ''", Validation },
        { "unknown space", "Set-CfTarget -Space no-such-space", "CfSpaceNotFound" },
        { "unknown organization", "Set-CfTarget -Organization no-such-org", "CfOrganizationNotFound" },
        // sign-in modes, proxies and tokens (issue 14)
        { "wrong passcode", "Connect-CfTarget $api -Passcode (ConvertTo-SecureString 'Wr0ngPasscode-ABCDEFGHIJKLMNOPQR' -AsPlainText -Force)", "CfAuthenticationFailed" },
        { "no passcode where nobody can be asked", "Connect-CfTarget $api -Sso", "CfNoCredential" },
        { "passcode and password together", "Connect-CfTarget $api -Passcode (ConvertTo-SecureString 'x' -AsPlainText -Force) -Credential $c", "AmbiguousParameterSet" },
        { "empty origin", "Connect-CfTarget $api -Credential $c -Origin ''", Validation },
        { "origin UAA does not know", "Connect-CfTarget $api -Credential $c -Origin corp-sso", "CfAuthenticationFailed" },
        { "origin without a user", "Connect-CfTarget $api -Origin ldap", "CfNoCredential" },
        { "malformed assertion", "Connect-CfTarget $api -Assertion (ConvertTo-SecureString 'not.a.jwt' -AsPlainText -Force)", "CfAuthenticationFailed" },
        { "expired assertion",
            "$a = (Invoke-RestMethod -Method Post -Uri \"$api/_fake/assertions\" -ContentType application/json -Body '{\"expiresInSeconds\":0}').assertion; " +
            "Connect-CfTarget $api -Assertion (ConvertTo-SecureString $a -AsPlainText -Force)", "CfAuthenticationFailed" },
        { "assertion for a client without the jwt-bearer grant",
            "$a = (Invoke-RestMethod -Method Post -Uri \"$api/_fake/assertions\" -ContentType application/json -Body '{}').assertion; " +
            "$ci = [pscredential]::new('cftasks-ci', (ConvertTo-SecureString 'ci-client-secret' -AsPlainText -Force)); " +
            "Connect-CfTarget $api -Assertion (ConvertTo-SecureString $a -AsPlainText -Force) -ClientCredential $ci", "CfAuthenticationFailed" },
        { "plain http to a host that is not loopback", "Connect-CfTarget http://api.sys.example.test -Credential $c", "CfInsecureEndpoint" },
        { "proxy with another scheme", "Connect-CfTarget $api -Credential $c -Proxy ftp://proxy.example.test", "CfInvalidProxy" },
        { "proxy credential without a proxy", "Connect-CfTarget $api -Credential $c -ProxyCredential $c", "CfInvalidProxy" },
        { "both kinds of proxy credentials", "Connect-CfTarget $api -Credential $c -Proxy http://proxy.example.test:3128 -ProxyCredential $c -ProxyUseDefaultCredentials", "CfInvalidProxy" },
        { "a token of a disconnected target", "$t = Get-CfTarget; Disconnect-CfTarget; Get-CfAccessToken -Target $t", "CfNotConnected" },
        { "disconnect all and one target at once", "Disconnect-CfTarget -All -Target (Get-CfTarget)", "AmbiguousParameterSet" },
        // tasks as records: labels, annotations, selectors, times, scopes, droplets
        { "label key with two slashes", "Start-CfTask training-app -Command x -Label @{ 'a/b/c' = 'x' }", Validation },
        { "label key with a space", "Start-CfTask training-app -Command x -Label @{ 'build id' = '1' }", Validation },
        { "label prefix that is not a DNS name", "Start-CfTask training-app -Command x -Label @{ 'ci_server/build' = '1' }", Validation },
        { "reserved label prefix", "Start-CfTask training-app -Command x -Label @{ 'cloudfoundry.org/build' = '1' }", Validation },
        { "label name of 64 characters", "Start-CfTask training-app -Command x -Label @{ ('b' * 64) = '1' }", Validation },
        { "label value with a slash", "Start-CfTask training-app -Command x -Label @{ branch = 'feature/x' }", Validation },
        { "label value of 64 characters", "Start-CfTask training-app -Command x -Label @{ build = ('7' * 64) }", Validation },
        { "annotation value over 5000 characters", "Start-CfTask training-app -Command x -Annotation @{ note = ('x' * 5001) }", Validation },
        { "annotation key with two slashes", "Start-CfTask training-app -Command x -Annotation @{ 'a/b/c' = 'x' }", Validation },
        { "the request id label", "Start-CfTask training-app -Command x -Label @{ 'cftasks-request-id' = 'abc' }", "CfInvalidMetadata" },
        { "bad label key on Set-CfTask", "Get-CfTask | Set-CfTask -Label @{ '-temp' = 'x' }", Validation },
        { "Set-CfTask with nothing to change", "Set-CfTask -Guid 11111111-2222-3333-4444-555555555555 -Label @{}", "CfNothingToUpdate" },
        { "Set-CfTask on a task of another space", "Set-CfTask -Guid $otherSpaceTask -Label @{ a = 'b' }", "CfTaskNotFound" },
        { "Set-CfTask on an unknown sequence id", "Set-CfTask training-app 999 -Label @{ a = 'b' }", "CfTaskNotFound" },
        { "a label selector CC rejects", "Get-CfTask -LabelSelector 'env = prod'", "CfInvalidLabelSelector" },
        { "a label selector CC rejects, per app", "Get-CfTask training-app, billing-api -LabelSelector 'env in (dev, qa)'", "CfInvalidLabelSelector" },
        { "empty label selector", "Get-CfTask -LabelSelector ''", Validation },
        { "created after later than created before", "Get-CfTask training-app -CreatedAfter (Get-Date) -CreatedBefore (Get-Date).AddDays(-1)", "CfInvalidTimeRange" },
        { "created after that is not a time", "Get-CfTask -CreatedAfter 'yesterday-ish'", "CannotConvertArgumentNoMessage" },
        { "unknown space to list", "Get-CfTask -Space no-such-space", "CfSpaceNotFound" },
        { "space in another organization", "Get-CfTask -Space second-space -Organization demo-org", "CfSpaceNotFound" },
        { "unknown organization to list", "Get-CfTask -Organization no-such-org", "CfOrganizationNotFound" },
        { "space of an unknown organization", "Get-CfTask -Space demo-space -Organization no-such-org", "CfOrganizationNotFound" },
        { "AllSpaces with an app", "Get-CfTask -AppName training-app -AllSpaces", "AmbiguousParameterSet" },
        { "droplet that is not a guid", "Start-CfTask training-app -Command x -Droplet 'current'", Validation },
        { "droplet of another app", "Start-CfTask training-app -Command x -Droplet $othersDroplet", "CfDropletNotFound" },
        { "droplet that does not exist", "Start-CfTask training-app -Command x -Droplet 11111111-2222-3333-4444-555555555555", "CfDropletNotFound" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Bad_input_yields_its_error_id(string what, string script, string errorId)
    {
        var result = _ps.Run(script);
        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.True(error.FullyQualifiedErrorId.StartsWith(errorId + ",", StringComparison.Ordinal),
            $"{what}: expected {errorId}, got {error.FullyQualifiedErrorId}: {error}");
        Assert.NotEqual(ErrorCategory.NotSpecified, error.CategoryInfo.Category);
        if (errorId.StartsWith("Cf", StringComparison.Ordinal)) Assert.NotNull(error.TargetObject);
        Assert.DoesNotContain("   at ", error.Exception.Message, StringComparison.Ordinal); // no stack trace for a message
    }

    public static TheoryData<string, FaultRule, string> ServerAnswers => new()
    {
        { "an html page as the root document",
            new FaultRule { Method = "GET", Path = "^/$", Action = FaultActions.Body, Body = "<html><body>Welcome to nginx!</body></html>", ContentType = "text/html" },
            "Connect-CfTarget $api -Credential $c" },
        { "json that is not the root document",
            new FaultRule { Method = "GET", Path = "^/$", Action = FaultActions.Body, Body = """{"status":"ok","version":"1.2.3"}""" },
            "Connect-CfTarget $api -Credential $c" },
        { "a 5 MB root document",
            new FaultRule { Method = "GET", Path = "^/$", Action = FaultActions.Body, Body = "{\"links\":{\"padding\":\"" + new string('a', 1000), Repeat = 5000 },
            "Connect-CfTarget $api -Credential $c" },
        { "malformed json from a list",
            new FaultRule { Method = "GET", Path = "^/v3/apps$", Action = FaultActions.Body, Body = """{"pagination":{"total_results":1},"resources":[{"guid":""" },
            "Get-CfApp" },
        { "a 5 MB body that is not json",
            new FaultRule { Method = "GET", Path = "^/v3/apps$", Action = FaultActions.Body, Body = new string('<', 1000), Repeat = 5000, ContentType = "text/html" },
            "Get-CfApp" },
    };

    [Theory]
    [MemberData(nameof(ServerAnswers))]
    public void An_answer_that_is_not_cloud_foundry_is_a_clear_error(string what, FaultRule fault, string script)
    {
        _fixture.Fake.State.AddFault(fault);
        var result = _ps.Run(script);
        _fixture.Fake.State.ClearFaults();

        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.True(error.FullyQualifiedErrorId.StartsWith("CfUnexpectedResponse,", StringComparison.Ordinal), $"{what}: got {error.FullyQualifiedErrorId}: {error}");
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("Cloud Foundry", error.Exception.Message, StringComparison.Ordinal);
        Assert.True(error.Exception.Message.Length < 2000, $"{what}: the message carries the body ({error.Exception.Message.Length} chars)");
    }
}
