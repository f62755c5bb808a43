#requires -Version 7.4
# The task cmdlets as a maintenance script or a pipeline step uses them, against the fake started as a process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Pwsh = Get-PwshPath
    Import-Module $env:CFTASKS_MODULE_PATH -Force
    $script:Fake = Start-FakeCloudFoundry
    $script:Developer = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force))

    function Reset-Fake {
        Invoke-FakeControl $Fake -Path reset | Out-Null
        Connect-CfTarget -ApiEndpoint $Fake.Url -Credential $Developer -Organization demo-org -Space demo-space | Out-Null
        Invoke-FakeControl $Fake -Method DELETE -Path requests | Out-Null
    }
    function Get-FakeRequest { foreach ($request in (Invoke-FakeControl $Fake -Method GET -Path requests)) { $request } }
    function Get-AppGuid([string] $Name) { (Get-CfApp $Name).Guid }
}

AfterAll {
    Get-CfTarget -ListAvailable | Disconnect-CfTarget
    Stop-FakeCloudFoundry $script:Fake
}

Describe 'Start-CfTask' {
    BeforeEach { Reset-Fake }

    It 'runs the seed walkthrough with cf CLI sizes' {
        $task = Start-CfTask training-app -Name printenv -Command 'tasks/printenv.sh' -Memory 8M -Disk 64M
        $task.MemoryInMb | Should -Be 8
        $task.DiskInMb | Should -Be 64
        $task.State | Should -Be Running
        $post = Get-FakeRequest | Where-Object { $_.method -eq 'POST' -and $_.path -like '/v3/apps/*/tasks' }
        @($post).Count | Should -Be 1
    }

    It 'starts one task per app piped from Get-CfApp' {
        $tasks = Get-CfApp 'billing-*' | Start-CfTask -Command 'bin/migrate'
        $tasks.AppName | Sort-Object | Should -Be @('billing-api', 'billing-reports', 'billing-worker')
        $tasks.Command | Select-Object -Unique | Should -Be 'bin/migrate'
    }

    It 'rejects a size it cannot read, saying what it accepts' {
        { Start-CfTask training-app -Command x -Memory 8X -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*M, MB, G, GB*' -ErrorId 'ParameterArgumentTransformationError,CfTasks.Commands.StartCfTaskCommand'
    }

    It 'sends nothing under -WhatIf' {
        Start-CfTask training-app -Command x -WhatIf
        Get-FakeRequest | Where-Object method -eq 'POST' | Should -BeNullOrEmpty
    }

    It 'fails the pipeline step (child pwsh -File exits non-zero) when the task fails under -Wait' {
        $step = Join-Path $TestDrive 'step.ps1'
        @"
Import-Module '$env:CFTASKS_MODULE_PATH'
`$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force))
Connect-CfTarget '$($Fake.Url)' -Credential `$c -Organization demo-org -Space demo-space | Out-Null
Start-CfTask training-app -Name migrate -Command 'echo migrating; exit 3' -Wait
'step went on'
"@ | Set-Content -LiteralPath $step
        $output = & $Pwsh -NoProfile -NonInteractive -File $step 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $output | Should -Match 'APP/TASK/migrate: Exited[\s|]+with status 3' # the error view may wrap the line
        $output | Should -Not -Match 'step went on'
    }

    It 'passes the pipeline step when the task succeeds under -Wait' {
        $step = Join-Path $TestDrive 'ok.ps1'
        @"
Import-Module '$env:CFTASKS_MODULE_PATH'
`$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force))
Connect-CfTarget '$($Fake.Url)' -Credential `$c -Organization demo-org -Space demo-space | Out-Null
(Start-CfTask training-app -Command 'echo ok' -Wait).State
"@ | Set-Content -LiteralPath $step
        $output = & $Pwsh -NoProfile -NonInteractive -File $step 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0
        $output.Trim() | Should -Be 'Succeeded'
    }
}

Describe 'Get-CfTask' {
    BeforeEach { Reset-Fake }

    It 'feeds Where-Object and Export-Csv with readable text in every column' {
        Invoke-FakeControl $Fake -Path "apps/$(Get-AppGuid billing-api)/tasks/bulk" -Body @{ count = 3; state = 'FAILED'; namePrefix = 'nightly'; labels = @{ team = 'billing' } } | Out-Null
        Invoke-FakeControl $Fake -Path "apps/$(Get-AppGuid billing-api)/tasks/bulk" -Body @{ count = 2; state = 'SUCCEEDED' } | Out-Null
        $csv = Join-Path $TestDrive 'failed.csv'

        Get-CfTask billing-api | Where-Object State -eq Failed | Export-Csv -LiteralPath $csv

        $rows = Import-Csv -LiteralPath $csv
        $rows.Count | Should -Be 3
        $rows[0].State | Should -Be 'Failed'
        $rows[0].AppName | Should -Be 'billing-api'
        $rows[0].Labels | Should -Be 'team=billing'
        $rows[0].FailureReason | Should -Match '^APP/TASK/nightly-3: Exited with status 1$'   # newest first, like cf tasks
        Get-Content -LiteralPath $csv -Raw | Should -Not -Match 'System\.|CfTasks\.|Collections'
    }

    It 'converts to small, clean JSON' {
        Start-CfTask training-app -Name job -Command 'sleep 60' | Out-Null
        $json = Get-CfTask training-app | ConvertTo-Json -Depth 3 -Compress
        $json | Should -Not -Match 'Origin|Session|System\.'
        ($json | ConvertFrom-Json).Name | Should -Be 'job'
        $json.Length | Should -BeLessThan 1500
    }

    It 'shows the space''s tasks like cf tasks, with [hidden] where Cloud Foundry hides the command' {
        Invoke-FakeControl $Fake -Path "apps/$(Get-AppGuid billing-worker)/tasks/bulk" -Body @{ count = 2; namePrefix = 'report' } | Out-Null
        $table = Get-CfTask | Format-Table | Out-String -Width 200
        $table | Should -Match 'report-1\s+Succeeded\s+0\s+billing-worker'
        $table | Should -Match '\[hidden\]'
    }

    It 'makes one request for Select-Object -First 1 and honours -First/-IncludeTotalCount' {
        Invoke-FakeControl $Fake -Path "apps/$(Get-AppGuid training-app)/tasks/bulk" -Body @{ count = 6000 } | Out-Null
        Invoke-FakeControl $Fake -Method DELETE -Path requests | Out-Null

        $first = Get-CfTask training-app | Select-Object -First 1
        $first.SequenceId | Should -Be 6000   # the newest task, as cf tasks lists them
        @(Get-FakeRequest | Where-Object { $_.path -like '/v3/apps/*/tasks' }).Count | Should -Be 1

        $page = Get-CfTask training-app -First 2 -IncludeTotalCount
        $page[0] | Should -Be 6000
        $page[1..2].SequenceId | Should -Be @(6000, 5999)
    }

    It 'fetches the next page while the pipeline works through this one, and never reads two pages ahead' {
        Invoke-FakeControl $Fake -Path "apps/$(Get-AppGuid training-app)/tasks/bulk" -Body @{ count = 12000 } | Out-Null
        Invoke-FakeControl $Fake -Method DELETE -Path requests | Out-Null
        function Get-PageRequestCount { @(Get-FakeRequest | Where-Object { $_.path -like '/v3/apps/*/tasks' }).Count }

        $seen = [Collections.Generic.HashSet[int]]::new()
        $atFirst = $null; $whilePageOneIsBusy = $null; $mostAheadOnPageOne = 0
        Get-CfTask training-app | ForEach-Object {
            [void] $seen.Add($_.SequenceId)
            $n = $seen.Count
            if ($n -eq 1) { $atFirst = Get-PageRequestCount }
            if ($n -le 5000 -and $n % 500 -eq 0) { $mostAheadOnPageOne = [math]::Max($mostAheadOnPageOne, (Get-PageRequestCount)) }
            if ($n -eq 5000) {
                # Hold the last task of page 1: the second page must be requested meanwhile (the old behaviour, waiting
                # for page 1 to be consumed, would never get there).
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while ((Get-PageRequestCount) -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $whilePageOneIsBusy = Get-PageRequestCount
            }
        }

        $seen.Count | Should -Be 12000
        $atFirst | Should -Be 1             # nothing is read ahead before the consumer has taken a first batch
        $whilePageOneIsBusy | Should -Be 2  # page 2 was requested before page 1 was consumed
        $mostAheadOnPageOne | Should -BeLessOrEqual 2
        Get-PageRequestCount | Should -Be 3
    }
}

Describe 'Stop-CfTask and Wait-CfTask' {
    BeforeEach { Reset-Fake }

    It 'cancels nothing under -WhatIf' {
        Start-CfTask training-app -Command 'sleep 600' | Out-Null
        Get-CfTask training-app | Stop-CfTask -WhatIf
        Get-FakeRequest | Where-Object { $_.path -like '*cancel*' } | Should -BeNullOrEmpty
        (Get-CfTask training-app).State | Should -Be Running
    }

    It 'cancels piped running tasks and waits until they have stopped' {
        1..2 | ForEach-Object { Start-CfTask training-app -Command 'sleep 600' } | Out-Null
        $stopped = Get-CfTask training-app -State Running | Stop-CfTask -Wait -PassThru
        $stopped.State | Select-Object -Unique | Should -Be Failed
        $stopped.FailureReason | Select-Object -Unique | Should -Be 'task was cancelled'
    }

    It 'reports an already finished task by name and state and goes on' {
        Invoke-FakeControl $Fake -Path "apps/$(Get-AppGuid training-app)/tasks/bulk" -Body @{ count = 1; namePrefix = 'done' } | Out-Null
        Start-CfTask training-app -Command 'sleep 600' | Out-Null
        $out = Get-CfTask training-app | Stop-CfTask -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'CfTaskNotCancelable,CfTasks.Commands.StopCfTaskCommand'
        "$($problems[0])" | Should -Match "done-1\) of app 'training-app' is Succeeded"
        $out.State | Should -Be Canceling
    }

    It 'waits for piped tasks and emits their final states' {
        $tasks = @(
            Start-CfTask training-app -Name ok -Command 'echo fine'
            Start-CfTask training-app -Name bad -Command 'exit 4'
        )
        $final = $tasks | Wait-CfTask -Timeout 60
        ($final | Where-Object Name -eq ok).State | Should -Be Succeeded
        ($final | Where-Object Name -eq bad).FailureReason | Should -Be 'APP/TASK/bad: Exited with status 4'
    }
}

Describe 'Tasks as records' {
    BeforeEach { Reset-Fake }

    It 'tags runs with the build id and finds them again, with how they ended' {
        $env:BUILD_BUILDID = '4711'
        try {
            Start-CfTask training-app -Name migrate -Command 'exit 3' -Label @{ build = $env:BUILD_BUILDID } | Out-Null
            Start-CfTask billing-api -Name migrate -Command 'echo ok' -Label @{ build = $env:BUILD_BUILDID } | Out-Null
            Start-CfTask billing-api -Name migrate -Command 'echo other build' -Label @{ build = '4712' } | Out-Null
            Get-CfTask -LabelSelector "build=$env:BUILD_BUILDID" | Wait-CfTask -Timeout 60 | Out-Null
            $runs = Get-CfTask -AllSpaces -LabelSelector "build=$env:BUILD_BUILDID" | Sort-Object AppName
        }
        finally { Remove-Item Env:BUILD_BUILDID }
        $runs.AppName | Should -Be @('billing-api', 'training-app')
        $runs.ExitCode | Should -Be @(0, 3)
        $runs.SpaceName | Select-Object -Unique | Should -Be 'demo-space'
        $runs | ForEach-Object { $_.Duration | Should -BeOfType [timespan] }
    }

    It 'exports what failed in the last 24 hours across a whole organization to CSV' {
        $worker = Get-AppGuid billing-worker
        Invoke-FakeControl $Fake -Path "apps/$worker/tasks/bulk" -Body @{ count = 2; namePrefix = 'nightly'; state = 'FAILED' } | Out-Null
        Invoke-FakeControl $Fake -Path "apps/$worker/tasks/bulk" -Body @{ count = 3; namePrefix = 'fine' } | Out-Null
        $other = (Invoke-FakeControl $Fake -Path apps -Body @{ space = 'other-space'; name = 'reporter' }).guid
        Invoke-FakeControl $Fake -Path "apps/$other/tasks/bulk" -Body @{ count = 1; namePrefix = 'report'; state = 'FAILED' } | Out-Null
        $csv = Join-Path $TestDrive 'failed-last-24h.csv'

        Get-CfTask -Organization demo-org -State Failed -CreatedAfter (Get-Date).AddHours(-24) |
            Select-Object OrganizationName, SpaceName, AppName, Name, ExitCode, FailureReason, CreatedAt, Duration |
            Export-Csv $csv -NoTypeInformation

        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 3
        ($rows.SpaceName | Sort-Object) | Should -Be @('demo-space', 'demo-space', 'other-space')
        $rows.ExitCode | Select-Object -Unique | Should -Be '1'
        $rows.OrganizationName | Select-Object -Unique | Should -Be 'demo-org'
        (Get-CfTarget).Space | Should -Be 'demo-space'
    }

    It 'says under -WhatIf which labels Set-CfTask would set and remove, and sends nothing' {
        $step = Join-Path $TestDrive 'whatif.ps1'
        @"
Import-Module '$env:CFTASKS_MODULE_PATH'
`$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force))
Connect-CfTarget '$($Fake.Url)' -Credential `$c -Organization demo-org -Space demo-space | Out-Null
Start-CfTask training-app -Name tagged -Command 'sleep 600' | Set-CfTask -Label @{ keep = 'yes'; temp = `$null } -WhatIf
"@ | Set-Content -LiteralPath $step
        $output = & $Pwsh -NoProfile -NonInteractive -File $step 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0
        $output | Should -Match 'What if: Performing the operation "Set labels keep=yes; remove labels temp" on target "task 1 \(tagged\) of app ''training-app''"'
        Get-FakeRequest | Where-Object method -eq 'PATCH' | Should -BeNullOrEmpty
    }
}
