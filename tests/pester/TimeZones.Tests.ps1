#requires -Version 7.4
# Times compare right in any time zone: the admin's Where-Object idiom, -Since, and CSV/JSON round trips, each run in
# a child pwsh whose TZ is Tokyo (UTC+9), New York (UTC-5/-4) and UTC (Linux honours TZ; see docs/concepts.md).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Pwsh = Get-PwshPath
    $script:Fake = Start-FakeCloudFoundry
    Invoke-FakeControl $Fake -Path reset | Out-Null
    # Two hours of tasks, one a second, the newest created now; and twenty minutes of a task's log lines, one every 10 s.
    $app = Invoke-FakeControl $Fake -Path apps -Body @{ space = 'demo-space'; name = 'clock-app' }
    Invoke-FakeControl $Fake -Path "apps/$($app.guid)/tasks/bulk" -Body @{ count = 7200; namePrefix = 'tick' } | Out-Null
    $now = [long] (Invoke-FakeControl $Fake -Method GET -Path clock).nowUnixNano
    Invoke-FakeControl $Fake -Path "apps/$($app.guid)/logs/bulk" -Body @{
        count = 120; sourceType = 'APP/TASK/report'; startUnixNano = $now - 1200000000000; intervalNano = 10000000000; messagePrefix = 'report line '
    } | Out-Null

    # What each child process checks, in its own time zone; it prints one JSON line with what it found.
    $script:ChildScript = @'
param([string] $Api, [string] $ModulePath, [string] $CsvPath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$credential = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force))
Connect-CfTarget $Api -Credential $credential -Organization demo-org -Space demo-space | Out-Null
$token = (Invoke-RestMethod -Method Post -Uri "$Api/_fake/tokens" -ContentType 'application/json' -Body '{"user":"developer"}').accessToken
$headers = @{ Authorization = "bearer $token" }
$appGuid = (Get-CfApp clock-app).Guid

# The idiom, with one cutoff; the expected set from the raw UTC timestamps Cloud Controller sent, against the same cutoff.
$cutoff = (Get-Date).AddMinutes(-30)
$found = @(Get-CfTask clock-app | Where-Object CreatedAt -gt $cutoff)
$raw = [Collections.Generic.List[object]]::new()
$next = "$Api/v3/apps/$appGuid/tasks?per_page=5000"
while ($next) {
    # The timestamps as the text Cloud Controller sent (ConvertFrom-Json would turn them into DateTime values itself).
    $page = (Invoke-WebRequest -Uri $next -Headers $headers).Content | ConvertFrom-Json -DateKind String
    $raw.AddRange(@($page.resources)); $next = $page.pagination.next.href
}
$expected = @($raw | Where-Object { [DateTimeOffset]::Parse($_.created_at, [cultureinfo]::InvariantCulture) -gt [DateTimeOffset] $cutoff })
# The same cutoff as a server-side filter: -CreatedAfter takes the local Get-Date value as the instant it is.
$createdAfter = @(Get-CfTask clock-app -CreatedAfter $cutoff)
# The cutoff as the task table shows times (UTC, whole seconds), typed back into -CreatedAfter: read as UTC.
$tableFormat = "ddd, dd MMM yyyy HH:mm:ss 'UTC'"
$shown = ([DateTimeOffset] $cutoff).UtcDateTime.ToString($tableFormat, [cultureinfo]::InvariantCulture)
$shownInstant = [DateTimeOffset]::ParseExact($shown, $tableFormat, [cultureinfo]::InvariantCulture, [Globalization.DateTimeStyles]::AssumeUniversal)
$fromTable = @(Get-CfTask clock-app -CreatedAfter $shown)
$expectedFromTable = @($raw | Where-Object { [DateTimeOffset]::Parse($_.created_at, [cultureinfo]::InvariantCulture) -gt $shownInstant })

# -Since with a local Get-Date value; expected from the envelopes' own nanoseconds.
$since = (Get-Date).AddMinutes(-5)
$lines = @(Get-CfTaskLog -AppName clock-app -Since $since)
$sinceNs = ([DateTimeOffset] $since).ToUnixTimeMilliseconds() * 1000000
$read = (Invoke-RestMethod -Uri "$Api/log-cache/api/v1/read/$($appGuid)?envelope_types=LOG&limit=1000" -Headers $headers).envelopes.batch
$expectedLines = @($read | Where-Object { [long] $_.timestamp -ge $sinceNs })

# CSV and JSON: the zone is in the text, and parsing it back gives the same instant.
$three = @(Get-CfTask clock-app -First 3)
$three | Export-Csv -LiteralPath $CsvPath -NoTypeInformation
$rows = @(Import-Csv -LiteralPath $CsvPath)
$json = $three[0] | ConvertTo-Json -Depth 2 -Compress
[ordered]@{
    zone              = [TimeZoneInfo]::Local.BaseUtcOffset.TotalHours
    found             = $found.Count
    expected          = $expected.Count
    sameTasks         = $found.Count -gt 0 -and (@(Compare-Object @($found.Guid) @($expected.guid)).Count -eq 0)
    createdAfterSame  = $createdAfter.Count -gt 0 -and (@(Compare-Object @($createdAfter.Guid) @($expected.guid)).Count -eq 0)
    tableTextSame     = $fromTable.Count -gt 0 -and (@(Compare-Object @($fromTable.Guid) @($expectedFromTable.guid)).Count -eq 0)
    lines             = $lines.Count
    expectedLines     = $expectedLines.Count
    csvText           = $rows[0].CreatedAt
    csvAsOffsetSame   = @(0..2 | Where-Object { ([datetimeoffset] $rows[$_].CreatedAt) -eq $three[$_].CreatedAt }).Count
    csvAsDateTimeSame = @(0..2 | Where-Object { ([datetime] $rows[$_].CreatedAt).ToUniversalTime() -eq $three[$_].CreatedAt.UtcDateTime }).Count
    json              = $json
} | ConvertTo-Json -Compress
'@

    function Invoke-InZone([string] $Zone) {
        $script = Join-Path $TestDrive "zone-child.ps1"
        Set-Content -LiteralPath $script -Value $ChildScript
        $saved = $env:TZ
        $env:TZ = $Zone
        try {
            $output = & $Pwsh -NoProfile -NonInteractive -File $script -Api $Fake.Url -ModulePath $env:CFTASKS_MODULE_PATH -CsvPath (Join-Path $TestDrive "$($Zone -replace '/', '-').csv") 2>&1
        }
        finally {
            if ($null -eq $saved) { Remove-Item Env:TZ } else { $env:TZ = $saved }
        }
        $line = $output | Where-Object { "$_".StartsWith('{') } | Select-Object -Last 1
        if (-not $line) { throw "The child in $Zone printed no result:`n$($output -join "`n")" }
        "$line" | ConvertFrom-Json
    }
}

AfterAll { Stop-FakeCloudFoundry $script:Fake }

Describe 'Times in <Zone>' -ForEach @(
    @{ Zone = 'Asia/Tokyo'; Offset = 9 }
    @{ Zone = 'America/New_York'; Offset = -5 }
    @{ Zone = 'UTC'; Offset = 0 }
) {
    BeforeAll { $script:Result = Invoke-InZone $Zone }

    It 'runs in that zone' {
        $Result.zone | Should -Be $Offset
    }

    It 'finds exactly the tasks created in the last 30 minutes with Where-Object CreatedAt -gt (Get-Date).AddMinutes(-30)' {
        $Result.expected | Should -BeGreaterThan 1700
        $Result.expected | Should -BeLessThan 1900
        $Result.found | Should -Be $Result.expected
        $Result.sameTasks | Should -BeTrue
    }

    It 'finds the same tasks with Get-CfTask -CreatedAfter (Get-Date).AddMinutes(-30), filtered by the server' {
        $Result.createdAfterSame | Should -BeTrue
    }

    It 'reads a time copied from the task table (its UTC column) as UTC in -CreatedAfter' {
        $Result.tableTextSame | Should -BeTrue
    }

    It 'reads exactly the lines of the last five minutes with -Since (Get-Date).AddMinutes(-5)' {
        $Result.expectedLines | Should -BeGreaterThan 25
        $Result.lines | Should -Be $Result.expectedLines
    }

    It 'writes CSV and JSON that name the zone, and reads the same instants back from CSV' {
        $Result.csvText | Should -Match '\+00:00$'
        $Result.json | Should -Match '"CreatedAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00"'
        $Result.csvAsOffsetSame | Should -Be 3
        $Result.csvAsDateTimeSame | Should -Be 3
    }
}
