#requires -Version 7.4
# Connecting as a user and as a pipeline step would, against the fake started as a process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Pwsh = Get-PwshPath
    Import-Module $env:CFTASKS_MODULE_PATH -Force
    $script:Fake = Start-FakeCloudFoundry
    $script:Developer = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force))
}

AfterAll {
    Get-CfTarget -ListAvailable | Disconnect-CfTarget
    Stop-FakeCloudFoundry $script:Fake
}

Describe 'Connect-CfTarget' {
    It 'returns a target showing where commands will act' {
        $target = Connect-CfTarget -ApiEndpoint $Fake.Url -Credential $Developer -Organization demo-org -Space demo-space
        $target | Should -BeOfType ([CfTasks.CfTarget])
        $target.User | Should -Be 'developer'
        $target.Organization | Should -Be 'demo-org'
        $target.Space | Should -Be 'demo-space'
        $target.ApiVersion | Should -Match '^3\.'
        (Get-CfTarget).ApiEndpoint | Should -Be $target.ApiEndpoint
        ($target | Format-List | Out-String) | Should -Match 'Space\s+:\s+demo-space'
    }

    It 'fails a script with a clear error for a wrong password' {
        $bad = [pscredential]::new('developer', (ConvertTo-SecureString 'nope-nope' -AsPlainText -Force))
        { Connect-CfTarget -ApiEndpoint $Fake.Url -Credential $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'CfAuthenticationFailed,CfTasks.Commands.ConnectCfTargetCommand'
    }

    It 'connects a pipeline step from CF_* variables alone (child pwsh, secrets in env)' {
        $script = "Import-Module '$env:CFTASKS_MODULE_PATH'; `$t = Connect-CfTarget; `"`$(`$t.User)/`$(`$t.Space)`""
        $env:CF_API = $Fake.Url; $env:CF_CLIENT_ID = 'cftasks-ci'; $env:CF_CLIENT_SECRET = 'ci-client-secret'
        $env:CF_ORG = 'demo-org'; $env:CF_SPACE = 'demo-space'
        try {
            $text = & $Pwsh -NoProfile -NonInteractive -Command $script
        }
        finally {
            Remove-Item Env:CF_API, Env:CF_CLIENT_ID, Env:CF_CLIENT_SECRET, Env:CF_ORG, Env:CF_SPACE -ErrorAction SilentlyContinue
        }
        $LASTEXITCODE | Should -Be 0
        $text | Should -Be 'cftasks-ci/demo-space'
    }

    It 'exits a pipeline step non-zero when the connection fails' {
        $script = "Import-Module '$env:CFTASKS_MODULE_PATH'; `$ErrorActionPreference = 'Stop'; " +
            "Connect-CfTarget http://127.0.0.1:9 -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)))"
        & $Pwsh -NoProfile -NonInteractive -Command $script 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }
}
