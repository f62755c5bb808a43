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

    /// <summary>
    /// Each sign-in mode of issue 14 in a -Verbose -Debug session with a failed attempt, a forced renewal and the token
    /// handed out: no password, passcode, client secret, assertion, access or refresh token in any stream, in $Error, in
    /// what the host printed, or in a transcript.
    /// </summary>
    [Theory]
    [InlineData("origin")]
    [InlineData("passcode")]
    [InlineData("sso")]
    [InlineData("assertion")]
    [InlineData("assertion with a client")]
    [InlineData("CF_ASSERTION")]
    public void A_verbose_debug_session_of_each_sign_in_mode_shows_no_secret(string mode)
    {
        var state = _fixture.Fake.State;
        var passcode = state.IssuePasscode("developer");
        var assertion = state.MintAssertion(new());
        var secrets = new List<string> { "ldap-password", "developer-password", "oidc-client-secret", passcode, assertion, "Wr0ng-S3cret-P@ss" };
        // Secrets reach the script as variables, as a script gets them from a vault: PowerShell's own error view echoes
        // the failing line, and a secret typed into it would show there whatever CfTasks does.
        var (connect, wrong) = mode switch
        {
            "origin" => ("Connect-CfTarget $api -Credential ([pscredential]::new('ldap-developer', (Sec 'ldap-password'))) -Origin ldap -Organization demo-org -Space demo-space",
                         "Connect-CfTarget $api -Credential ([pscredential]::new('ldap-developer', (Sec $wrongSecret))) -Origin ldap"),
            "passcode" => ("Connect-CfTarget $api -Passcode (Sec $passcode) -Organization demo-org -Space demo-space", "Connect-CfTarget $api -Passcode (Sec $wrongSecret)"),
            "sso" => ("Connect-CfTarget $api -Sso -Organization demo-org -Space demo-space", "Connect-CfTarget $api -Passcode (Sec $wrongSecret)"),
            "assertion" => ("Connect-CfTarget $api -Assertion (Sec $assertion) -Organization demo-org -Space demo-space", "Connect-CfTarget $api -Assertion (Sec $wrongSecret)"),
            "assertion with a client" => ("Connect-CfTarget $api -Assertion (Sec $assertion) -ClientCredential ([pscredential]::new('cftasks-oidc', (Sec $clientSecret))) -Organization demo-org -Space demo-space",
                         "Connect-CfTarget $api -Assertion (Sec $wrongSecret) -ClientCredential ([pscredential]::new('cftasks-oidc', (Sec $clientSecret)))"),
            _ => ("$env:CF_ASSERTION = $assertion; try { Connect-CfTarget $api -Organization demo-org -Space demo-space } finally { $env:CF_ASSERTION = $null }",
                  "$env:CF_ASSERTION = $wrongSecret; try { Connect-CfTarget $api } finally { $env:CF_ASSERTION = $null }"),
        };
        var host = new PromptingHost(mode == "sso" ? PromptingHost.Secure(passcode) : null);
        using var ps = new PowerShellSession(host);
        var transcript = Path.Combine(Path.GetTempPath(), $"cftasks-secrets-{Guid.NewGuid():N}.txt");
        var script = $$"""
            function Sec([string] $text) { ConvertTo-SecureString $text -AsPlainText -Force }
            $DebugPreference = 'Continue'; $VerbosePreference = 'Continue'; $InformationPreference = 'Continue'
            $Error.Clear()
            Start-Transcript -LiteralPath $transcript -Force | Out-Null
            try {
                $all = & {
                    try { {{wrong}} } catch { $_ | Out-String }
                    & { {{connect}} } | Format-List | Out-String
                    Invoke-RestMethod -Method Post -Uri "$api/_fake/tokens/expire" | Out-Null   # forces a renewal
                    try { Get-CfApp | Format-Table | Out-String } catch { $_ | Out-String }
                    Get-CfAccessToken | Format-List * | Out-String
                    Get-CfAccessToken | ConvertTo-Json
                    Get-CfTarget -All | Format-List * | Out-String
                    Disconnect-CfTarget -All
                } *>&1 | Tee-Object -Variable shown | Out-Default
            }
            finally { Stop-Transcript | Out-Null }
            ($shown | Out-String) + ($Error | Out-String) + (($Error | ForEach-Object { $_.Exception.ToString() }) -join "`n")
            """;

        var result = ps.Run(script, new Dictionary<string, object?>
        {
            ["api"] = _fixture.Api, ["transcript"] = transcript, ["passcode"] = passcode, ["assertion"] = assertion,
            ["wrongSecret"] = "Wr0ng-S3cret-P@ss", ["clientSecret"] = "oidc-client-secret",
        });
        var text = result.AllText() + host.Written + File.ReadAllText(transcript);
        File.Delete(transcript);

        Assert.Null(result.Terminating);
        Assert.Matches("REQUEST: POST .*/oauth/token", text);                     // the session did happen, traced
        // ... renewed its token (a client without the refresh_token grant gets none: it asks for a fresh assertion)
        Assert.Contains(mode == "assertion with a client" ? "fresh assertion" : "renewed", text, StringComparison.Ordinal);
        Assert.Contains("TokenType", text, StringComparison.Ordinal);             // and handed the token out
        foreach (var secret in secrets) Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"eyJ[A-Za-z0-9_-]{10,}\.", text);                    // a JWT: access token or assertion
        Assert.DoesNotMatch(@"\b[0-9a-f]{32}-r\b", text);                         // UAA's opaque refresh token
        Assert.DoesNotMatch(@"(?i)bearer [A-Za-z0-9]", text);
    }

    [Fact]
    public void Without_verbose_nothing_is_told()
    {
        _ps.Connect(_fixture.Api);
        var result = _ps.Run("Get-CfApp");
        Assert.Empty(result.Verbose);
    }
}
