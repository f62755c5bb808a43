#requires -Version 7.4
# The Azure DevOps sample step, run as the agent runs it (pwsh -File, TF_BUILD=True, secrets in CF_* variables),
# against the fake Cloud Foundry; and the sample app's PowerShell twins, which must behave like its bash scripts.

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

Describe 'samples/run-migration.ps1 signed in without a stored secret' {
    It 'connects from CF_ASSERTION alone (the job''s OIDC token) and never shows it' {
        $assertion = (Invoke-FakeControl $Fake -Path 'assertions' -Body @{}).assertion
        $step = Invoke-Step 'echo keyless' @{ CF_USERNAME = ''; CF_PASSWORD = ''; CF_ASSERTION = $assertion }
        $step.ExitCode | Should -Be 0 -Because $step.Text
        ($step.Lines | Where-Object { $_ -match 'OUT keyless$' }) | Should -Not -BeNullOrEmpty
        $step.Text | Should -Not -Match ([regex]::Escape($assertion))
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

Describe 'The PowerShell twins of training-app''s task scripts' -Skip:(-not (Get-Command bash -CommandType Application -ErrorAction SilentlyContinue)) {
    # Where there is no bash the emulator runs tasks/x.ps1 for tasks/x.sh (docs/emulator.md): each twin must print the
    # same lines on the same streams and exit with the same status. Both run as the emulator runs them: in a copy of
    # the app, with a container's environment and nothing of this machine's.
    BeforeAll {
        $script:App = Join-Path $TestDrive 'training-app'
        Copy-Item -LiteralPath (Join-Path $Root 'samples/training-app') -Destination $App -Recurse
        $script:Bash = (Get-Command bash -CommandType Application | Select-Object -First 1).Source
        $script:Container = [ordered]@{
            HOME = $App; TMPDIR = $TestDrive; USER = 'vcap'; LANG = 'en_US.UTF-8'; PORT = '8080'; MEMORY_LIMIT = '8m'
            CF_INSTANCE_GUID = '5d2c8a1e-0000-4000-8000-000000000001'; DATABASE_PASSWORD = 's3cr3t-Db-Pa55w0rd'
            VCAP_SERVICES = '{"postgres":[{"name":"training-db","credentials":{"password":"Zq8-vT3xK9mW2pL7"}}]}'
        }

        function Invoke-TaskScript {
            param([string] $Program, [string[]] $Arguments)
            $start = [Diagnostics.ProcessStartInfo]::new($Program)
            foreach ($argument in $Arguments) { $start.ArgumentList.Add($argument) }
            $start.WorkingDirectory = $App
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.Environment.Clear()
            $start.Environment['PATH'] = '/usr/local/bin:/usr/bin:/bin:' + (Split-Path $Program -Parent)
            foreach ($name in $Container.Keys) { $start.Environment[$name] = $Container[$name] }
            $process = [Diagnostics.Process]::Start($start)
            $stderr = $process.StandardError.ReadToEndAsync()
            $stdout = $process.StandardOutput.ReadToEnd()
            $process.WaitForExit()
            [pscustomobject]@{
                ExitCode = $process.ExitCode
                Out      = @($stdout -split '\r?\n' | Where-Object { $_ })
                Err      = @($stderr.Result -split '\r?\n' | Where-Object { $_ })
            }
        }

        function Invoke-Twins([string] $Script, [string[]] $Arguments = @()) {
            # The .sh as the emulator runs it with bash, the .ps1 as it runs it with PowerShell.
            [pscustomobject]@{
                Bash       = Invoke-TaskScript $Bash @('-c', ((@("tasks/$Script.sh") + $Arguments) -join ' '))
                PowerShell = Invoke-TaskScript (Get-PwshPath) (@('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', "tasks/$Script.ps1") + $Arguments)
            }
        }
    }

    It 'tasks/<Script>.ps1 prints what tasks/<Script>.sh prints and exits with its status' -ForEach @(
        @{ Script = 'default'; Arguments = @(); ExitCode = 0 }
        @{ Script = 'fail'; Arguments = @(); ExitCode = 3 }
        @{ Script = 'long'; Arguments = @('2'); ExitCode = 0 }
    ) {
        $run = Invoke-Twins $Script $Arguments
        $run.Bash.ExitCode | Should -Be $ExitCode
        $run.PowerShell.ExitCode | Should -Be $ExitCode
        $run.PowerShell.Out | Should -Be $run.Bash.Out
        $run.PowerShell.Err | Should -Be $run.Bash.Err
        $run.Bash.Out | Should -Not -BeNullOrEmpty
    }

    It 'tasks/printenv.ps1 prints the same variables as tasks/printenv.sh' {
        $run = Invoke-Twins 'printenv'
        $run.Bash.ExitCode | Should -Be 0
        $run.PowerShell.ExitCode | Should -Be 0
        # Each shell adds a few of its own (bash: PWD, SHLVL, _; PowerShell: PSModulePath) and pwsh puts its own
        # folder first on PATH; every variable the task was given must be printed the same.
        foreach ($name in $Container.Keys) {
            $run.PowerShell.Out | Should -Contain "$name=$($Container[$name])"
            $run.Bash.Out | Should -Contain "$name=$($Container[$name])"
        }
        $own = '^(PWD|OLDPWD|SHLVL|_|PSModulePath|PATH)='
        @($run.PowerShell.Out -notmatch $own | Sort-Object) | Should -Be @($run.Bash.Out -notmatch $own | Sort-Object)
        $run.PowerShell.Err | Should -BeNullOrEmpty
    }

    It 'every tasks/*.sh has a twin and every twin a script' {
        $scripts = Get-ChildItem (Join-Path $Root 'samples/training-app/tasks') -File
        @($scripts | Where-Object Extension -eq '.sh' | ForEach-Object BaseName | Sort-Object) |
            Should -Be @($scripts | Where-Object Extension -eq '.ps1' | ForEach-Object BaseName | Sort-Object)
    }
}

Describe 'The pipeline samples' {
    # YAML is not parsed here (no parser ships with PowerShell): these read the text for what the docs promise.
    BeforeAll {
        $script:Azure = Get-Content -Raw (Join-Path $Root 'samples/azure-pipelines.yml')
        $script:GitHub = Get-Content -Raw (Join-Path $Root 'samples/github-actions.yml')
    }

    It 'name only scripts that exist: <Sample>' -ForEach @(@{ Sample = 'azure-pipelines.yml' }, @{ Sample = 'github-actions.yml' }) {
        $text = Get-Content -Raw (Join-Path $Root "samples/$Sample")
        $scripts = [regex]::Matches($text, '(?:filePath: |\./)(samples/[\w.-]+\.ps1)') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique
        $scripts | Should -Not -BeNullOrEmpty
        foreach ($script in $scripts) { Join-Path $Root $script | Should -Exist }
    }

    It 'Azure Pipelines: a PowerShell 7 job and a Windows PowerShell 5.1 job on a Windows agent' {
        $Azure | Should -Match '(?s)- job: pwsh.*?vmImage: ubuntu-latest.*?pwsh: true'
        $Azure | Should -Match '(?s)- job: windows_powershell.*?vmImage: windows-latest.*?pwsh: false'
        ([regex]::Matches($Azure, 'filePath: samples/run-migration\.ps1')).Count | Should -Be 2
    }

    It 'Azure Pipelines: CfTasks comes from a pipeline artifact or an Azure Artifacts feed, installed by name' {
        $Azure | Should -Match '(?s)- publish: .*?artifact: CfTasks'
        $Azure | Should -Match '(?s)- download: current\s+artifact: CfTasks'
        $Azure | Should -Match 'pkgs\.dev\.azure\.com/<organization>/<project>/_packaging/<feed>/nuget/v3/index\.json'
        $Azure | Should -Match 'SYSTEM_ACCESSTOKEN: \$\(System\.AccessToken\)'
        $Azure | Should -Not -Match 'Install-PSResource -Name CfTasks' # not from a gallery: none hosts it yet
    }

    It 'GitHub Actions: keyless sign-in asks GitHub for the job''s OIDC token, masks it and passes it in CF_ASSERTION' {
        $GitHub | Should -Match '(?s)migrate-keyless:.*?permissions:\s+id-token: write'
        $GitHub | Should -Match 'ACTIONS_ID_TOKEN_REQUEST_URL'
        $GitHub | Should -Match 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
        $GitHub | Should -Match '::add-mask::'
        $GitHub | Should -Match '\$env:CF_ASSERTION = '
        ($GitHub -split 'migrate-keyless:')[1] | Should -Not -Match 'secrets\.' # the keyless job uses no stored secret
    }

    It 'Azure Pipelines docs: keyless sign-in with the OIDC request API of a service connection' {
        $doc = Get-Content -Raw (Join-Path $Root 'docs/azure-pipelines.md')
        $doc | Should -Match 'SYSTEM_OIDCREQUESTURI'
        $doc | Should -Match 'serviceConnectionId='
        $doc | Should -Match 'task\.setsecret'
        $doc | Should -Match '\$env:CF_ASSERTION = '
    }

    It 'GitHub Actions: the package travels as a workflow artifact' {
        $GitHub | Should -Match 'actions/upload-artifact@v4'
        $GitHub | Should -Match 'actions/download-artifact@v4'
        $GitHub | Should -Match 'install-cftasks\.ps1 -Path'
    }
}
