#requires -Version 7.4
# The demo (samples/demo.ps1, what 'build.ps1 -Task Demo' runs) as a newcomer sees it: a child pwsh against the
# built module and the emulator, which must walk through the tasks lab, end green and leave nothing behind — with
# bash, and as on a Windows machine without bash: PowerShell running the sample app's tasks/*.ps1 twins (forced here
# with CFTASKS_EMULATOR_SHELL).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Shells = @(
        @{ Shell = 'bash'; Override = $null; Banner = 'bash -c' }
        @{ Shell = 'PowerShell (the twins)'; Override = (Get-PwshPath); Banner = 'tasks/\*\.sh run as their tasks/\*\.ps1 twins' }
    )
}

Describe 'The demo (samples/demo.ps1) with <Shell>' -ForEach $Shells {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $demo = Join-Path $PSScriptRoot '../../samples/demo.ps1'
        $pwsh = Get-PwshPath
        $saved = $env:CFTASKS_EMULATOR_SHELL
        $env:CFTASKS_EMULATOR_SHELL = $Override
        try {
            $script:Output = & $pwsh -NoProfile -NonInteractive -File $demo -ModulePath $env:CFTASKS_MODULE_PATH -FakePath $env:CFTASKS_FAKE_DLL 2>&1 |
                ForEach-Object { "$_" }
            $script:ExitCode = $LASTEXITCODE
        }
        finally { $env:CFTASKS_EMULATOR_SHELL = $saved }
        # Out-Host wraps long lines at the console width; joining restores them for searching.
        $script:Flat = $Output -join ''
        $script:AfterRedact = $Flat.Substring([Math]::Max(0, $Flat.IndexOf('PS> $printenv | Get-CfTaskLog -Redact')))
    }

    It 'runs green (exit code 0)' {
        $ExitCode | Should -Be 0 -Because ($Output -join [Environment]::NewLine)
    }

    It 'says the emulator is a local stand-in that runs commands on this machine, and with which shell' {
        $Flat | Should -Match 'not Cloud Foundry'
        $Flat | Should -Match 'RUN ON THIS MACHINE'
        $Flat | Should -Match $Banner
    }

    It 'echoes each command before running it, starting with the lab''s printenv task' {
        $Output | Should -Contain "PS> Connect-CfTarget -ApiEndpoint `$api -Credential `$credential -Organization demo-org -Space demo-space"
        $Output | Should -Contain "PS> `$printenv = Start-CfTask training-app -Command 'tasks/printenv.sh' -Name printenv -Memory 8M -Disk 64M"
        $Output | Should -Contain 'PS> Get-CfTask training-app'
        $Output | Should -Contain 'PS> $long | Stop-CfTask -Wait -PassThru'
    }

    It 'shows that printenv really ran with the task''s 8 MB / 64 MB in VCAP_APPLICATION' {
        $Flat | Should -Match '\[APP/TASK/printenv/0\] OUT MEMORY_LIMIT=8m'
        $Flat | Should -Match '"application_name":"training-app".*"limits":\{"fds":16384,"mem":8,"disk":64\}'
        $Flat | Should -Match '\[APP/TASK/printenv/0\] OUT Exit status 0'
    }

    It 'warns that dumping the environment puts secrets into logs, shows one, then masks it with -Redact' {
        $Flat | Should -Match 'WARNING: Dumping the environment puts secrets into logs'
        $Flat | Should -Match 'DATABASE_PASSWORD=s3cr3t-Db-Pa55w0rd'
        $AfterRedact.Length | Should -BeLessThan $Flat.Length
        $AfterRedact | Should -Match 'DATABASE_PASSWORD=\[REDACTED\]'
        $AfterRedact | Should -Not -Match 's3cr3t-Db-Pa55w0rd'
        $AfterRedact | Should -Not -Match 'Zq8-vT3xK9mW2pL7'
    }

    It 'catches the failing task''s -Wait error with its exit status and error id' {
        $Flat | Should -Match 'Start-CfTask failed: .*APP/TASK/check-schema: Exited with status 3'
        $Flat | Should -Match 'ErrorId: CfTaskFailed'
    }

    It 'exports the failed tasks (the failing one and the stopped one) as CSV text' {
        $csv = $Output | Where-Object { $_ -match '^"' } | ConvertFrom-Csv
        $csv.Name | Sort-Object | Should -Be @('check-schema', 'long-report')
        ($csv | Where-Object Name -eq 'long-report').FailureReason | Should -Be 'task was cancelled'
        ($csv | Where-Object Name -eq 'check-schema').FailureReason | Should -Be 'APP/TASK/check-schema: Exited with status 3'
        $Output | Where-Object { $_ -match '^"' } | Should -Not -Match 'System\.'
    }

    It 'leaves no task process and no task folder behind' {
        $taskHome = [regex]::Match($Flat, 'OUT HOME=(\S+?[/\\]app)\d{4}-').Groups[1].Value
        $taskHome | Should -Not -BeNullOrEmpty
        Test-Path -LiteralPath (Split-Path $taskHome -Parent) | Should -BeFalse
        $longGuid = ($Output | Where-Object { $_ -match '^"' } | ConvertFrom-Csv | Where-Object Name -eq 'long-report').Guid
        $longGuid | Should -Not -BeNullOrEmpty
        Get-ChildItem -LiteralPath (Split-Path (Split-Path $taskHome -Parent) -Parent) -Filter "cftasks-task-$($longGuid.Substring(0, 8))-*" |
            Should -BeNullOrEmpty
        if ($IsLinux) {
            $left = Get-ChildItem /proc -Directory -ErrorAction SilentlyContinue | Where-Object Name -match '^\d+$' | Where-Object {
                try { [IO.File]::ReadAllText("/proc/$($_.Name)/environ").Contains("CF_INSTANCE_GUID=$longGuid") } catch { $false }
            }
            $left | Should -BeNullOrEmpty
        }
    }
}
