#requires -Version 7.4
# Reading what tasks printed, as a user and as a pipeline step would, against the fake started as a process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:CFTASKS_MODULE_PATH -Force
    $script:Fake = Start-FakeCloudFoundry
    $developer = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force))
    Connect-CfTarget -ApiEndpoint $Fake.Url -Credential $developer -Organization demo-org -Space demo-space | Out-Null

    function Wait-FakeTasks { Invoke-FakeControl $Fake -Path clock -Body @{ advanceSeconds = 30 } | Out-Null }
}

AfterAll {
    Get-CfTarget -ListAvailable | Disconnect-CfTarget
    Stop-FakeCloudFoundry $script:Fake
}

Describe 'Get-CfTaskLog' {
    It 'shows a piped task''s lines the way cf logs prints them' {
        $task = Start-CfTask -AppName billing-worker -Name migrate -Command 'echo Running migrations; echo Migrated 3 tables'
        Wait-FakeTasks

        $entries = $task | Get-CfTaskLog
        $entries.Message | Should -Be @('Running migrations', 'Migrated 3 tables', 'Exit status 0')
        $entries[0] | Should -BeOfType ([CfTasks.CfLogEntry])

        $shown = ($entries | Out-String -Width 300).Trim() -split '\r?\n'
        $shown | Should -HaveCount 3
        $shown[0] | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\d\+0000 \[APP/TASK/migrate/0\] OUT Running migrations$'
        $shown | Should -Be ($task | Get-CfTaskLog -Raw)
    }

    It 'exports entries to CSV with flat columns' {
        $task = Start-CfTask -AppName billing-worker -Name export -Command 'echo one; echo two >&2'
        Wait-FakeTasks
        $csv = Join-Path $TestDrive 'log.csv'

        $task | Get-CfTaskLog | Export-Csv -Path $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows | Should -HaveCount 3
        $rows[1].Stream | Should -Be 'ERR'
        $rows[1].Message | Should -Be 'two'
        $rows[1].SourceType | Should -Be 'APP/TASK/export'
        $rows[0].TimestampUnixNanoseconds | Should -Match '^\d{19}$'
    }

    It 'redacts the secrets a printenv task dumped, in raw output too' {
        $task = Start-CfTask -AppName billing-api -Name printenv -Command 'printenv'
        Wait-FakeTasks

        $text = ($task | Get-CfTaskLog -Raw -Redact) -join "`n"
        $text | Should -Not -Match 's3cr3t-Db-Pa55w0rd|tok_live_|wJalrXUtnFEMI|Zq8-vT3xK9mW2pL7'
        $text | Should -Match 'DATABASE_PASSWORD=\[REDACTED\]'
        $text | Should -Match 'PATH=/usr/local/bin:/usr/bin:/bin'
        $text | Should -Match '"credentials":\{"hostname":"\[REDACTED\]"'
    }

    It 'reads the last lines of every run of a task name with -AppName -TaskName -Tail' {
        Start-CfTask -AppName billing-reports -Name nightly -Command 'lines 50' | Out-Null
        Wait-FakeTasks

        $last = Get-CfTaskLog -AppName billing-reports -TaskName nightly -Tail 2
        $last.Message | Should -Be @('line 50', 'Exit status 0')
    }

    It 'stops following when Select-Object -First has what it needs' {
        $task = Start-CfTask -AppName billing-worker -Name endless -Command 'echo hi; sleep 100000'
        Wait-FakeTasks

        $first = $task | Get-CfTaskLog -Follow | Select-Object -First 1
        $first.Message | Should -Be 'hi'
        $reads = { @((Invoke-FakeControl $Fake -Method GET -Path requests) | ForEach-Object { $_ } | Where-Object { $_.path -like '*/log-cache/*' }).Count }
        $before = & $reads
        Start-Sleep -Milliseconds 1500
        & $reads | Should -Be $before
    }

    It 'fails with CfAppNotFound for an unknown app' {
        { Get-CfTaskLog -AppName no-such-app -ErrorAction Stop } |
            Should -Throw -ErrorId 'CfAppNotFound,CfTasks.Commands.GetCfTaskLogCommand'
    }
}

Describe 'Start-CfTask -Follow' {
    It 'streams the lines to the information stream and emits the final task' {
        Invoke-FakeControl $Fake -Path clock -Body @{ speed = 10 } | Out-Null
        try {
            $task = Start-CfTask -AppName billing-worker -Name live -Command 'echo step 1; sleep 1; echo step 2' -Follow -InformationVariable info 6>$null
        }
        finally {
            Invoke-FakeControl $Fake -Path clock -Body @{ speed = 1 } | Out-Null
        }
        $task.State | Should -Be 'Succeeded'
        $lines = $info | ForEach-Object { "$($_.MessageData)" }
        $lines | Should -HaveCount 3
        $lines[0] | Should -Match '\[APP/TASK/live/0\] OUT step 1$'
        $lines[2] | Should -Match 'OUT Exit status 0$'
        $info[0].Tags | Should -Contain 'CfTaskLog'
    }
}
