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
    Disconnect-CfTarget -All
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

Describe 'Disconnect-CfTarget' {
    It 'leaves nothing to fall back to: a script that disconnects cannot act on another connection' {
        Connect-CfTarget $Fake.Url -Credential $Developer -Organization demo-org -Space other-space | Out-Null   # a typo...
        Connect-CfTarget $Fake.Url -Credential $Developer -Organization demo-org -Space demo-space | Out-Null   # ...fixed
        @(Get-CfTarget -All).Count | Should -Be 1
        Disconnect-CfTarget

        { Get-CfTask -ErrorAction Stop | Stop-CfTask -Confirm:$false } | Should -Throw -ErrorId 'CfNotConnected,CfTasks.Commands.GetCfTaskCommand'
        Get-CfTarget | Should -BeNullOrEmpty
    }

    It 'forgets every connection with -All' {
        $admin = [pscredential]::new('admin', (ConvertTo-SecureString 'admin-password' -AsPlainText -Force))
        $first = Connect-CfTarget $Fake.Url -Credential $Developer
        Connect-CfTarget $Fake.Url -Credential $admin | Out-Null
        (Get-CfTarget -All).User | Should -Be @('admin', 'developer')

        Disconnect-CfTarget -All

        Get-CfTarget -All | Should -BeNullOrEmpty
        $first.TokenExpiresAt | Should -BeNullOrEmpty
    }
}

Describe 'Connect-CfTarget with single sign-on' {
    It 'connects with a one-time passcode' {
        $code = (Invoke-FakeControl $Fake -Path 'passcodes' -Body @{ user = 'developer' }).passcode
        $target = Connect-CfTarget $Fake.Url -Passcode (ConvertTo-SecureString $code -AsPlainText -Force) -Organization demo-org -Space demo-space
        $target.User | Should -Be 'developer'
        Disconnect-CfTarget
    }

    It 'fails a -NonInteractive pwsh with a clear error naming the passcode page instead of prompting' {
        $script = "Import-Module '$env:CFTASKS_MODULE_PATH'; try { Connect-CfTarget '$($Fake.Url)' -Sso } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message; exit 1 }"
        $text = & $Pwsh -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $text | Should -Match 'CfNoCredential,CfTasks.Commands.ConnectCfTargetCommand'
        $text | Should -Match ([regex]::Escape("$($Fake.Url)/login/passcode"))
        $text | Should -Not -Match 'Temporary Authentication Code'
    }
}

Describe 'Connect-CfTarget in a keyless pipeline step' {
    It 'connects from CF_ASSERTION alone (child pwsh, the OIDC token in the environment)' {
        $assertion = (Invoke-FakeControl $Fake -Path 'assertions' -Body @{}).assertion
        $script = "Import-Module '$env:CFTASKS_MODULE_PATH'; `$t = Connect-CfTarget; `"`$(`$t.User)/`$(`$t.Space)`""
        $env:CF_API = $Fake.Url; $env:CF_ASSERTION = $assertion; $env:CF_ORG = 'demo-org'; $env:CF_SPACE = 'demo-space'
        try {
            $text = & $Pwsh -NoProfile -NonInteractive -Command $script 2>&1
        }
        finally {
            Remove-Item Env:CF_API, Env:CF_ASSERTION, Env:CF_ORG, Env:CF_SPACE -ErrorAction SilentlyContinue
        }
        $LASTEXITCODE | Should -Be 0 -Because ($text | Out-String)
        $text | Should -Be 'deploy-bot/demo-space'
    }
}

Describe 'Connect-CfTarget through a proxy' {
    BeforeAll {
        $script:Proxied = Start-FakeCloudFoundry -LinksFromHost
        $script:ProxyUrl = (Invoke-FakeControl $Proxied -Path 'proxy' -Body @{}).url
        $script:ProxiedApi = 'http://api.cf.test:' + ([uri]$Proxied.Url).Port   # a name only the proxy resolves
    }

    AfterAll {
        Stop-FakeCloudFoundry $script:Proxied
    }

    It 'takes HTTP_PROXY from the environment, and every request goes through the proxy' {
        Invoke-FakeControl $Proxied -Method DELETE -Path 'proxy/requests' | Out-Null
        $script = "Import-Module '$env:CFTASKS_MODULE_PATH'; " +
            "`$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); " +
            "Connect-CfTarget '$ProxiedApi' -Credential `$c -Organization demo-org -Space demo-space -AllowUnencryptedAuthentication -WarningAction SilentlyContinue | Out-Null; " +
            "(Get-CfApp training-app).Name"
        $env:HTTP_PROXY = $ProxyUrl
        try {
            $text = & $Pwsh -NoProfile -NonInteractive -Command $script 2>&1
        }
        finally {
            Remove-Item Env:HTTP_PROXY -ErrorAction SilentlyContinue
        }
        $LASTEXITCODE | Should -Be 0 -Because ($text | Out-String)
        $text | Should -Be 'training-app'
        $seen = Invoke-FakeControl $Proxied -Method GET -Path 'proxy/requests'
        $seen.url | Should -Contain "$ProxiedApi/login/oauth/token"
        $seen.url | Where-Object { $_ -like "$ProxiedApi/v3/apps*" } | Should -Not -BeNullOrEmpty
        $seen | Where-Object { -not $_.url.StartsWith($ProxiedApi) } | Should -BeNullOrEmpty
    }

    It 'refuses to sign in over plain http to a host that is not loopback, sending nothing' {
        Invoke-FakeControl $Proxied -Method DELETE -Path 'proxy/requests' | Out-Null
        { Connect-CfTarget $ProxiedApi -Credential $Developer -Proxy $ProxyUrl -ErrorAction Stop } |
            Should -Throw -ErrorId 'CfInsecureEndpoint,CfTasks.Commands.ConnectCfTargetCommand'
        Invoke-FakeControl $Proxied -Method GET -Path 'proxy/requests' | Should -BeNullOrEmpty
    }
}

Describe 'Get-CfAccessToken' {
    It 'hands Invoke-RestMethod the token for an endpoint CfTasks does not wrap, and shows it nowhere' {
        Connect-CfTarget $Fake.Url -Credential $Developer -Organization demo-org -Space demo-space | Out-Null
        $token = Get-CfAccessToken
        $token.Token | Should -BeOfType ([securestring])
        $token.ExpiresAt.Offset | Should -Be ([timespan]::Zero)

        $spaces = Invoke-RestMethod -Uri ([uri]::new($token.ApiEndpoint, '/v3/spaces')) -Authentication Bearer -Token $token.Token -AllowUnencryptedAuthentication
        $spaces.resources.name | Should -Contain 'demo-space'

        $plain = (Get-CfAccessToken -AsPlainText).Token
        ($token | Format-Table | Out-String) + ($token | Format-List | Out-String) + ($token | Out-String) | Should -Not -Match ([regex]::Escape($plain.Split('.')[2]))
        Disconnect-CfTarget
    }
}
