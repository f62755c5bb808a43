#requires -Version 7.4
# No password, passcode, client secret, assertion, access token or refresh token in any stream, in $Error, or in a
# transcript of a whole -Verbose -Debug session: connect (user, client, origin, passcode, assertion with and without
# a client, CF_ASSERTION), start, follow, read logs, list, wait, stop, fail, hand the token out, disconnect.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:CFTASKS_MODULE_PATH -Force
    $script:Fake = Start-FakeCloudFoundry
}

AfterAll {
    Disconnect-CfTarget -All
    Stop-FakeCloudFoundry $script:Fake
}

Describe 'A full -Verbose -Debug session' {
    It 'never shows a password, passcode, client secret, assertion or token anywhere' {
        $password = 'developer-password'
        $clientSecret = 'ci-client-secret'
        $wrongPassword = 'Wr0ng-S3cret-P@ss'
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "cftasks-secrets-$PID.txt"
        Invoke-FakeControl $Fake -Path 'reset' | Out-Null
        $passcode = (Invoke-FakeControl $Fake -Path 'passcodes' -Body @{ user = 'developer' }).passcode
        $assertion = (Invoke-FakeControl $Fake -Path 'assertions' -Body @{}).assertion
        $clientAssertion = (Invoke-FakeControl $Fake -Path 'assertions' -Body @{}).assertion
        $envAssertion = (Invoke-FakeControl $Fake -Path 'assertions' -Body @{}).assertion
        $expiredAssertion = (Invoke-FakeControl $Fake -Path 'assertions' -Body @{ expiresInSeconds = 0 }).assertion
        $oidcClient = [pscredential]::new('cftasks-oidc', (ConvertTo-SecureString 'oidc-client-secret' -AsPlainText -Force))
        $ldap = [pscredential]::new('ldap-developer', (ConvertTo-SecureString 'ldap-password' -AsPlainText -Force))
        $user = [pscredential]::new('developer', (ConvertTo-SecureString $password -AsPlainText -Force))
        $client = [pscredential]::new('cftasks-ci', (ConvertTo-SecureString $clientSecret -AsPlainText -Force))
        $wrong = [pscredential]::new('developer', (ConvertTo-SecureString $wrongPassword -AsPlainText -Force))
        $Error.Clear()

        Start-Transcript -LiteralPath $transcript -Force | Out-Null
        try {
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            $InformationPreference = 'Continue'
            $all = & {
                try { Connect-CfTarget $Fake.Url -Credential $wrong } catch { $_ | Out-String }
                try { Connect-CfTarget $Fake.Url -ClientCredential ([pscredential]::new('cftasks-ci', (ConvertTo-SecureString 'Wr0ng-Cl1ent-S3cret' -AsPlainText -Force))) } catch { $_ | Out-String }
                Connect-CfTarget $Fake.Url -ClientCredential $client -Organization demo-org -Space demo-space | Format-List | Out-String
                try { Connect-CfTarget $Fake.Url -Passcode (ConvertTo-SecureString $wrongPassword -AsPlainText -Force) } catch { $_ | Out-String }
                try { Connect-CfTarget $Fake.Url -Assertion (ConvertTo-SecureString $expiredAssertion -AsPlainText -Force) } catch { $_ | Out-String }
                try { Connect-CfTarget $Fake.Url -Credential $ldap -Origin corp-sso } catch { $_ | Out-String }
                Connect-CfTarget $Fake.Url -Credential $ldap -Origin ldap -Organization demo-org -Space demo-space | Format-List | Out-String
                Connect-CfTarget $Fake.Url -Passcode (ConvertTo-SecureString $passcode -AsPlainText -Force) -Organization demo-org -Space demo-space | Format-List | Out-String
                Connect-CfTarget $Fake.Url -Assertion (ConvertTo-SecureString $clientAssertion -AsPlainText -Force) -ClientCredential $oidcClient | Format-List | Out-String
                $env:CF_API = $Fake.Url; $env:CF_ASSERTION = $envAssertion
                try { Connect-CfTarget -Organization demo-org -Space demo-space | Format-List | Out-String }
                finally { Remove-Item Env:CF_API, Env:CF_ASSERTION }
                $keyless = Connect-CfTarget $Fake.Url -Assertion (ConvertTo-SecureString $assertion -AsPlainText -Force) -Organization demo-org -Space demo-space
                $keyless | Format-List | Out-String
                Get-CfAccessToken | Format-List * | Out-String
                Get-CfAccessToken | ConvertTo-Json
                Get-CfAccessToken
                Connect-CfTarget $Fake.Url -Credential $user -Organization demo-org -Space demo-space | Format-List | Out-String
                Invoke-FakeControl $Fake -Path 'tokens/expire' | Out-Null   # forces a renewal with the refresh token
                Get-CfApp | Format-Table | Out-String
                Get-CfApp -Target $keyless | Format-Table | Out-String      # the assertion session renews too
                $ok = Start-CfTask training-app -Name hello -Command 'echo hello' -Follow
                $ok | Get-CfTaskLog | Out-String
                try { Start-CfTask training-app -Name boom -Command 'echo boom; exit 3' -Wait } catch { $_ | Out-String }
                $long = Start-CfTask training-app -Name long -Command 'sleep 600'
                $long | Stop-CfTask -Confirm:$false -PassThru | Out-String
                Get-CfTask | Format-List | Out-String
                Get-CfTask training-app | Wait-CfTask -Timeout 20 | Out-String
                Get-CfTarget | Format-List * | Out-String
                Get-CfTarget | ConvertTo-Json -Depth 5
                Get-CfTarget -All | Format-Table | Out-String
                Disconnect-CfTarget -All -Verbose
            } *>&1 | Out-String
        }
        finally {
            $DebugPreference = 'SilentlyContinue'
            $VerbosePreference = 'SilentlyContinue'
            $InformationPreference = 'SilentlyContinue'
            Stop-Transcript | Out-Null
        }
        $text = $all + (Get-Content -Raw $transcript) + ($Error | Out-String) + (($Error | ForEach-Object { $_.Exception.ToString() }) -join "`n")
        Remove-Item $transcript

        # The session did happen, and was traced:
        $text | Should -Match 'REQUEST: POST .*/oauth/token'
        $text | Should -Match 'Authorization: \[PRIVATE DATA HIDDEN\]'
        $text | Should -Match 'Exited with status 3'
        # ... and nothing secret shows:
        $text | Should -Match 'TokenType'                              # the token was handed out (as a SecureString)
        foreach ($secret in $password, $clientSecret, $wrongPassword, 'Wr0ng-Cl1ent-S3cret', 'ldap-password', 'oidc-client-secret',
            $passcode, $assertion, $clientAssertion, $envAssertion, $expiredAssertion) {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
        $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.'          # a JWT
        $text | Should -Not -Match '\b[0-9a-f]{32}-r\b'               # UAA's opaque refresh token
        $text | Should -Not -Match '(?i)bearer [A-Za-z0-9]'
    }
}
