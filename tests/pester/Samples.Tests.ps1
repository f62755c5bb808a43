#requires -Version 7.4
# The Azure DevOps sample step, run as the agent runs it (pwsh -File, TF_BUILD=True, secrets in CF_* variables),
# against the fake Cloud Foundry.

BeforeAll {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Pwsh = Get-PwshPath
    $script:Fake = Start-FakeCloudFoundry

    function Invoke-Step {
        param([string] $Command, [hashtable] $Environment = @{})
        $start = [Diagnostics.ProcessStartInfo]::new($Pwsh)
        foreach ($argument in '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'samples/run-migration.ps1'), '-AppName', 'training-app', '-Command', $Command) {
            $start.ArgumentList.Add($argument)
        }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $variables = @{
            TF_BUILD = 'True'; CF_API = $Fake.Url; CF_USERNAME = 'developer'; CF_PASSWORD = 'developer-password'
            CF_ORG = 'demo-org'; CF_SPACE = 'demo-space'; CFTASKS_MODULE_PATH = $env:CFTASKS_MODULE_PATH; NO_COLOR = '1'
        }
        foreach ($name in $Environment.Keys) { $variables[$name] = $Environment[$name] }
        foreach ($name in $variables.Keys) { $start.Environment[$name] = $variables[$name] }
        foreach ($name in 'GITHUB_ACTIONS', 'CF_CLIENT_ID', 'CF_CLIENT_SECRET') { if (-not $variables.ContainsKey($name)) { $start.Environment.Remove($name) | Out-Null } }
        $process = [Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Lines = @($stdout -split '\r?\n'); Text = $stdout + $stderr.Result }
    }
}

AfterAll {
    Stop-FakeCloudFoundry $script:Fake
}

Describe 'samples/run-migration.ps1 under Azure DevOps' {
    It 'exits 0 for a task that succeeds, with its log in a collapsible group and no error issue' {
        $step = Invoke-Step 'echo hi'
        $step.ExitCode | Should -Be 0 -Because $step.Text
        $group = [array]::IndexOf($step.Lines, ($step.Lines | Where-Object { $_ -like '##`[group]Log of task*' } | Select-Object -First 1))
        $end = [array]::IndexOf($step.Lines, '##[endgroup]')
        $group | Should -BeGreaterOrEqual 0
        $end | Should -BeGreaterThan $group
        $inside = $step.Lines[($group + 1)..($end - 1)]
        $inside | Should -Contain ($inside | Where-Object { $_ -match '\[APP/TASK/migrate/0\] OUT hi$' })
        $inside -match 'OUT Exit status 0$' | Should -Not -BeNullOrEmpty
        $step.Text | Should -Not -Match '##vso\[task\.logissue'
        $step.Text | Should -Not -Match 'developer-password'
    }

    It 'exits non-zero for a task that fails and reports the failure reason as an error issue' {
        $step = Invoke-Step 'echo about to fail; exit 3'
        $step.ExitCode | Should -Not -Be 0
        $issue = @($step.Lines | Where-Object { $_ -like '##vso`[task.logissue type=error]*' })
        $issue.Count | Should -Be 1
        $issue[0] | Should -Match 'Exited with status 3'
        $step.Lines | Should -Contain '##[endgroup]'
        ($step.Lines | Where-Object { $_ -match 'OUT about to fail$' }) | Should -Not -BeNullOrEmpty
    }

    It 'writes no Azure DevOps commands outside a pipeline' {
        $step = Invoke-Step 'echo hi' @{ TF_BUILD = '' }
        $step.ExitCode | Should -Be 0
        $step.Text | Should -Not -Match '##\[group\]|##vso'
        ($step.Lines | Where-Object { $_ -match 'OUT hi$' }) | Should -Not -BeNullOrEmpty
    }

    It 'does not let a task drive the agent with logging commands of its own' {
        $step = Invoke-Step 'echo ##vso[task.setvariable variable=owned]yes'
        $step.ExitCode | Should -Be 0
        $step.Lines | Where-Object { $_ -match '^##vso\[task\.setvariable' -or $_ -match 'OUT ##vso\[' } | Should -BeNullOrEmpty
    }
}

Describe 'samples/run-migration.ps1 under GitHub Actions' {
    It 'groups the log and reports a failed task with ::error::' {
        $step = Invoke-Step 'exit 4' @{ TF_BUILD = ''; GITHUB_ACTIONS = 'true' }
        $step.ExitCode | Should -Not -Be 0
        ($step.Lines | Where-Object { $_ -like '::group::Log of task*' }) | Should -Not -BeNullOrEmpty
        $step.Lines | Should -Contain '::endgroup::'
        ($step.Lines | Where-Object { $_ -like '::error title=Cloud Foundry task failed::*Exited with status 4*' }) | Should -Not -BeNullOrEmpty
    }
}
