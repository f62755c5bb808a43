#requires -Version 7.4
<#
.SYNOPSIS
    Benchmarks CfTasks against the floor (bench/CfTasks.Bench.Floor: HttpClient + System.Text.Json, no PowerShell) and
    an Invoke-RestMethod loop (bench/irm/CfIrm.ps1) on the same data, in the same run.
.DESCRIPTION
    Starts the fake Cloud Foundry as a process, seeds it through its /_fake controls, runs every scenario in fresh
    'pwsh -NoProfile' processes (bench/Measure-Scenario.ps1) and fresh floor processes, interleaved so that load on
    the machine affects every variant alike, and reports medians and ratios in one table, written to -ResultPath.
    Usually run through 'dotnet pwsh ./build.ps1 -Task Bench', which builds Release first. -Quick uses tiny sizes
    (a smoke run of the harness, not a measurement). See docs/performance.md.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CfTasks'),
    [string] $FakeDll = $env:CFTASKS_FAKE_DLL,
    [string] $FloorDll,
    [string] $EmptyModulePath,
    [int] $Tasks = 100000,
    [int] $SmallTasks = 10000,
    [int] $LargeTasks = 200000,
    [int] $AllSpacesTasks = 100000,
    [int] $LogLines = 100000,
    [int] $Apps = 200,
    [int] $WaitTasks = 500,
    [int] $LatencyMs = 25,
    [int] $Repetitions = 3,
    [int] $MemoryRepetitions = 5,
    [int] $IrmRepetitions = 2,
    [int] $ImportRepetitions = 10,
    [int] $ColdRepetitions = 5,
    [string] $ResultPath = (Join-Path $PSScriptRoot 'results/latest.md'),
    [switch] $Quick
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
if ($Quick) {
    $Tasks = 1000; $SmallTasks = 100; $LargeTasks = 2000; $AllSpacesTasks = 1000; $LogLines = 1000; $Apps = 16; $WaitTasks = 60
    $Repetitions = 1; $MemoryRepetitions = 1; $IrmRepetitions = 1; $ImportRepetitions = 2; $ColdRepetitions = 1
}
$ModulePath = (Resolve-Path $ModulePath).Path
if (-not $FakeDll -or -not (Test-Path $FakeDll)) { throw "Give -FakeDll (or CFTASKS_FAKE_DLL): the built FakeCloudFoundry.dll." }
if (-not $FloorDll -or -not (Test-Path $FloorDll)) { throw "Give -FloorDll: the built CfTasks.Bench.Floor.dll." }
if (-not $EmptyModulePath -or -not (Test-Path $EmptyModulePath)) { throw "Give -EmptyModulePath: the built CfTasks.Bench.EmptyModule.psd1 (the import floor)." }
$env:CFTASKS_FAKE_DLL = $FakeDll
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1') -Force
$pwsh = Get-PwshPath
$child = Join-Path $PSScriptRoot 'Measure-Scenario.ps1'
$runStarted = Get-Date
$loadBefore = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ' ' } else { 'n/a' }

# ------------------------------------------------------------------ helpers

function Get-Median([double[]] $Values) {
    if (-not $Values -or $Values.Count -eq 0) { return [double]::NaN }
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { [double] $sorted[($n - 1) / 2] } else { ([double] $sorted[$n / 2 - 1] + [double] $sorted[$n / 2]) / 2 }
}

function Read-ResultLine([string[]] $Output, [string] $What) {
    $line = $Output | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1
    if (-not $line) { throw "$What printed no result:`n$($Output -join "`n")" }
    $line | ConvertFrom-Json
}

function Invoke-Pwsh {
    # One fresh pwsh running Measure-Scenario.ps1; returns its result with the wall time seen from here.
    # -FullJit runs it with DOTNET_TieredCompilation=0 (every method compiled fully optimised at first call): the
    # module's cost without the tier-0 code this non-ReadyToRun pwsh starts on (see docs/performance.md).
    param([hashtable] $Arguments, [switch] $FullJit)
    $list = foreach ($key in $Arguments.Keys) { "-$key"; [string] $Arguments[$key] }
    if ($FullJit) { $env:DOTNET_TieredCompilation = '0' }
    try {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $output = & $pwsh -NoProfile -NonInteractive -File $child @list 2>&1 | ForEach-Object { "$_" }
        $wall = $watch.Elapsed.TotalMilliseconds
    }
    finally {
        Remove-Item Env:DOTNET_TieredCompilation -ErrorAction SilentlyContinue
    }
    if ($LASTEXITCODE -ne 0) { throw "pwsh $($Arguments['Scenario'])/$($Arguments['Variant']) failed (exit $LASTEXITCODE):`n$($output -join "`n")" }
    $result = Read-ResultLine $output "pwsh $($Arguments['Scenario'])/$($Arguments['Variant'])"
    $result | Add-Member wallMs $wall -PassThru
}

function Invoke-Floor {
    param([hashtable] $Arguments)
    $list = foreach ($key in $Arguments.Keys) { "--$key"; [string] $Arguments[$key] }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $output = & dotnet $FloorDll @list 2>&1 | ForEach-Object { "$_" }
    $wall = $watch.Elapsed.TotalMilliseconds
    if ($LASTEXITCODE -ne 0) { throw "floor $($Arguments['scenario']) failed (exit $LASTEXITCODE):`n$($output -join "`n")" }
    $result = Read-ResultLine $output "floor $($Arguments['scenario'])"
    $result | Add-Member wallMs $wall -PassThru
}

function Invoke-Control([string] $Path, $Body, [string] $Method = 'POST') { Invoke-FakeControl -Fake $fake -Method $Method -Path $Path -Body $Body }

function New-App([string] $Name) { Invoke-Control 'apps' @{ space = 'demo-space'; name = $Name } }

function Get-PollCycles {
    # Requests of a wait, grouped into poll cycles (a gap of more than a second starts a new cycle).
    param([object[]] $Requests)
    $sorted = @($Requests | Sort-Object { [DateTimeOffset] $_.startedAt })
    if ($sorted.Count -eq 0) { return @() }
    $cycles = [Collections.Generic.List[object]]::new()
    $current = [Collections.Generic.List[object]]::new()
    $previous = $null
    foreach ($request in $sorted) {
        $at = [DateTimeOffset] $request.startedAt
        if ($previous -and ($at - $previous).TotalMilliseconds -gt 1000) { $cycles.Add($current); $current = [Collections.Generic.List[object]]::new() }
        $current.Add($request)
        $previous = $at
    }
    $cycles.Add($current)
    foreach ($cycle in $cycles) {
        [pscustomobject]@{
            Requests = $cycle.Count
            Ms       = (([DateTimeOffset] $cycle[-1].endedAt) - ([DateTimeOffset] $cycle[0].startedAt)).TotalMilliseconds
        }
    }
}

function Format-Ms([double] $Ms) { if ([double]::IsNaN($Ms)) { 'n/a' } elseif ($Ms -ge 10000) { '{0:0.0} s' -f ($Ms / 1000) } else { '{0:0} ms' -f $Ms } }
function Format-MB([double] $Bytes) { if ([double]::IsNaN($Bytes)) { 'n/a' } else { '{0:0} MB' -f ($Bytes / 1MB) } }
function Format-Ratio([double] $Ratio) { if ([double]::IsNaN($Ratio) -or [double]::IsInfinity($Ratio)) { 'n/a' } else { '{0:0.00}x' -f $Ratio } }

# ------------------------------------------------------------------ start and seed the fake

Write-Host "starting the fake and seeding it ($Tasks + $SmallTasks + $LargeTasks tasks, $LogLines log lines, $Apps apps, $WaitTasks running tasks)"
$fake = Start-FakeCloudFoundry
$api = $fake.Url
$samples = [ordered]@{}
try {
    $seedWatch = [Diagnostics.Stopwatch]::StartNew()
    $big = New-App 'big'
    [void] (Invoke-Control "apps/$($big.guid)/tasks/bulk" @{ count = $Tasks; state = 'SUCCEEDED'; namePrefix = 'job'; command = 'bin/job' })
    $bigSmall = New-App 'big-small'
    [void] (Invoke-Control "apps/$($bigSmall.guid)/tasks/bulk" @{ count = $SmallTasks; state = 'SUCCEEDED'; namePrefix = 'job'; command = 'bin/job' })
    $bigLarge = New-App 'big-large'
    [void] (Invoke-Control "apps/$($bigLarge.guid)/tasks/bulk" @{ count = $LargeTasks; state = 'SUCCEEDED'; namePrefix = 'job'; command = 'bin/job' })
    $small = New-App 'small'
    [void] (Invoke-Control "apps/$($small.guid)/tasks/bulk" @{ count = 10; state = 'SUCCEEDED'; namePrefix = 'job'; command = 'bin/job' })
    $waiter = New-App 'waiter'
    [void] (Invoke-Control "apps/$($waiter.guid)/tasks/bulk" @{ count = $WaitTasks; state = 'RUNNING'; namePrefix = 'long'; command = 'bin/long' })
    foreach ($i in 1..$Apps) { [void] (New-App ('fan-{0:000}' -f $i)) }

    # The log task: a real task printing $LogLines lines (1 ms apart in fake time); the clock jumps past its end.
    $logApp = New-App 'logs'
    $token = (Invoke-Control 'tokens' @{ user = 'admin' }).accessToken
    $headers = @{ Authorization = "bearer $token" }
    $logTask = Invoke-RestMethod -Method Post -Uri "$api/v3/apps/$($logApp.guid)/tasks" -Headers $headers -ContentType 'application/json' `
        -Body (@{ name = 'big'; command = "lines $LogLines" } | ConvertTo-Json)
    [void] (Invoke-Control 'clock' @{ advanceSeconds = [math]::Ceiling($LogLines / 1000) + 10 })
    $logTask = Invoke-RestMethod -Uri "$api/v3/tasks/$($logTask.guid)" -Headers $headers
    if ($logTask.state -ne 'SUCCEEDED') { throw "The log task is $($logTask.state), not SUCCEEDED." }
    Write-Host ("seeded in {0:0.0} s" -f $seedWatch.Elapsed.TotalSeconds)

    $common = @{ Api = $api; ModulePath = $ModulePath }
    $floorCommon = @{ api = $api }

    # ---------------------------------------------------------------- import cost (wall time of a fresh pwsh)
    Write-Host "import: $ImportRepetitions x (bare pwsh, pwsh + Import-Module CfTasks, pwsh + Import-Module of a one-cmdlet module)"
    $bare = @(); $imported = @(); $importInside = @(); $emptyImported = @(); $emptyInside = @()
    $importCommand = "`$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModulePath'; `$w.Elapsed.TotalMilliseconds"
    $emptyCommand = "`$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$EmptyModulePath'; `$w.Elapsed.TotalMilliseconds"
    $bareCommand = "`$w = [Diagnostics.Stopwatch]::StartNew(); `$w.Elapsed.TotalMilliseconds"
    foreach ($i in 1..$ImportRepetitions) {
        $w = [Diagnostics.Stopwatch]::StartNew(); [void] (& $pwsh -NoProfile -NonInteractive -Command $bareCommand); $bare += $w.Elapsed.TotalMilliseconds
        $w = [Diagnostics.Stopwatch]::StartNew(); $inside = & $pwsh -NoProfile -NonInteractive -Command $importCommand; $imported += $w.Elapsed.TotalMilliseconds
        if ($LASTEXITCODE -ne 0) { throw "Import-Module failed: $inside" }
        $importInside += [double] ($inside | Select-Object -Last 1)
        $w = [Diagnostics.Stopwatch]::StartNew(); $inside = & $pwsh -NoProfile -NonInteractive -Command $emptyCommand; $emptyImported += $w.Elapsed.TotalMilliseconds
        if ($LASTEXITCODE -ne 0) { throw "Import-Module of the empty module failed: $inside" }
        $emptyInside += [double] ($inside | Select-Object -Last 1)
    }
    $samples.import = [ordered]@{ bareMs = $bare; importMs = $imported; importInsideMs = $importInside; emptyModuleMs = $emptyImported; emptyModuleInsideMs = $emptyInside }

    # ---------------------------------------------------------------- memory baseline
    $idle = @(foreach ($i in 1..$Repetitions) { Invoke-Pwsh @{ Scenario = 'idle' } })
    $idlePeak = Get-Median ($idle.peakWorkingSet)
    $samples.idle = $idle

    # ---------------------------------------------------------------- Get-CfTask | Measure-Object
    Write-Host "tasks: $Repetitions x CfTasks and floor ($Tasks and $SmallTasks tasks), $IrmRepetitions x Invoke-RestMethod"
    $runs = @{ cftasks = @(); cftasksSmall = @(); floor = @(); floorSmall = @(); irm = @(); fullJit = @(); pipeline = @() }
    foreach ($i in 1..$Repetitions) {
        $runs.cftasks += Invoke-Pwsh ($common + @{ Scenario = 'tasks'; App = 'big' })
        if ($i -le $IrmRepetitions) {
            $runs.fullJit += Invoke-Pwsh ($common + @{ Scenario = 'tasks'; App = 'big' }) -FullJit
            $runs.pipeline += Invoke-Pwsh ($common + @{ Scenario = 'pipeline'; ObjectCount = $Tasks })
        }
        $runs.floor += Invoke-Floor ($floorCommon + @{ scenario = 'tasks'; app = 'big' })
        $runs.cftasksSmall += Invoke-Pwsh ($common + @{ Scenario = 'tasks'; App = 'big-small' })
        $runs.floorSmall += Invoke-Floor ($floorCommon + @{ scenario = 'tasks'; app = 'big-small' })
        if ($i -le $IrmRepetitions) { $runs.irm += Invoke-Pwsh ($common + @{ Scenario = 'tasks'; App = 'big'; Variant = 'irm' }) }
    }
    # Peak working set varies by several MB between identical runs: more samples of CfTasks at both sizes for the memory rows.
    # (Their times are not used: the time rows compare runs interleaved with the floor's.)
    $runs.memoryOnly = @(); $runs.memoryOnlySmall = @(); $runs.memoryOnlyLarge = @()
    if ($MemoryRepetitions -gt $Repetitions) {
        foreach ($i in ($Repetitions + 1)..$MemoryRepetitions) {
            $runs.memoryOnly += Invoke-Pwsh ($common + @{ Scenario = 'tasks'; App = 'big' })
            $runs.memoryOnlySmall += Invoke-Pwsh ($common + @{ Scenario = 'tasks'; App = 'big-small' })
        }
    }
    # A longer listing still: whether memory grows with the listing or only warms up (the 10,000-task listing may end
    # after a GC or two, before the heap reaches its steady size).
    foreach ($i in 1..$Repetitions) { $runs.memoryOnlyLarge += Invoke-Pwsh ($common + @{ Scenario = 'tasks'; App = 'big-large' }) }
    foreach ($r in $runs.memoryOnlyLarge) { if ($r.count -ne $LargeTasks) { throw "A task listing counted $($r.count), not $LargeTasks." } }
    foreach ($r in $runs.cftasks + $runs.floor + $runs.irm + $runs.fullJit + $runs.pipeline) { if ($r.count -ne $Tasks) { throw "A task listing counted $($r.count), not $Tasks." } }
    $samples.tasks = $runs

    # ---------------------------------------------------------------- Get-CfTaskLog | Measure-Object
    Write-Host "logs: $Repetitions x CfTasks and floor, $IrmRepetitions x Invoke-RestMethod ($LogLines lines)"
    $logRuns = @{ cftasks = @(); floor = @(); irm = @(); fullJit = @() }
    foreach ($i in 1..$Repetitions) {
        $logRuns.cftasks += Invoke-Pwsh ($common + @{ Scenario = 'logs'; TaskGuid = $logTask.guid })
        if ($i -le $IrmRepetitions) { $logRuns.fullJit += Invoke-Pwsh ($common + @{ Scenario = 'logs'; TaskGuid = $logTask.guid }) -FullJit }
        $logRuns.floor += Invoke-Floor ($floorCommon + @{ scenario = 'logs'; 'task-guid' = $logTask.guid })
        if ($i -le $IrmRepetitions) { $logRuns.irm += Invoke-Pwsh ($common + @{ Scenario = 'logs'; TaskGuid = $logTask.guid; Variant = 'irm' }) }
    }
    $expectedLines = $LogLines + 1 # the numbered lines and 'Exit status 0'
    foreach ($r in $logRuns.cftasks + $logRuns.floor + $logRuns.irm + $logRuns.fullJit) { if ($r.count -ne $expectedLines) { throw "A log read counted $($r.count) lines, not $expectedLines." } }
    $samples.logs = $logRuns

    # ---------------------------------------------------------------- fan-out: apps | Start-CfTask, with latency
    Write-Host "start: $Repetitions x $Apps apps with $LatencyMs ms latency (ThrottleLimit 8 and 1, floor 8 at a time, Invoke-RestMethod loop)"
    $startRuns = @{ cftasks = @(); sequential = @(); floor = @(); irm = @(); maxInFlight = @() }
    [void] (Invoke-Control 'latency' @{ ms = $LatencyMs })
    try {
        foreach ($i in 1..$Repetitions) {
            [void] (Invoke-Control 'stats/reset' $null)
            $startRuns.cftasks += Invoke-Pwsh ($common + @{ Scenario = 'start'; AppPrefix = 'fan-' })
            $startRuns.maxInFlight += (Invoke-Control 'stats' $null 'GET').maxInFlight
            $startRuns.sequential += Invoke-Pwsh ($common + @{ Scenario = 'start'; AppPrefix = 'fan-'; ThrottleLimit = 1 })
            $startRuns.floor += Invoke-Floor ($floorCommon + @{ scenario = 'start'; 'app-prefix' = 'fan-'; concurrency = 8 })
            if ($i -le $IrmRepetitions) { $startRuns.irm += Invoke-Pwsh ($common + @{ Scenario = 'start'; AppPrefix = 'fan-'; Variant = 'irm' }) }
        }
    }
    finally {
        [void] (Invoke-Control 'latency' @{ ms = 0 })
    }
    foreach ($r in $startRuns.cftasks + $startRuns.sequential + $startRuns.floor + $startRuns.irm) { if ($r.count -ne $Apps) { throw "A fan-out started $($r.count) tasks, not $Apps." } }
    $samples.start = $startRuns

    # ---------------------------------------------------------------- Wait-CfTask: requests per poll cycle
    Write-Host "wait: $WaitTasks running tasks, requests per poll cycle counted at the fake"
    $waitRuns = [ordered]@{}
    foreach ($variant in 'cftasks', 'floor', 'irm') {
        [void] (Invoke-Control 'requests' $null 'DELETE')
        $result = if ($variant -eq 'floor') { Invoke-Floor ($floorCommon + @{ scenario = 'wait'; app = 'waiter'; cycles = 2; interval = 3 }) }
        else { Invoke-Pwsh ($common + @{ Scenario = 'wait'; App = 'waiter'; Variant = $variant; WaitTimeout = 5; Cycles = 2 }) }
        $requests = @(Invoke-Control 'requests' $null 'GET' | ForEach-Object { $_ })
        $polls = @($requests | Where-Object {
                $_.method -eq 'GET' -and (($_.path -eq '/v3/tasks' -and $_.query -match 'guids=') -or $_.path -match '^/v3/tasks/[0-9a-f-]+$') })
        $cycles = @(Get-PollCycles $polls)
        $waitRuns[$variant] = [pscustomobject]@{
            Result          = $result
            Cycles          = $cycles.Count
            MaxPerCycle     = ($cycles | Measure-Object Requests -Maximum).Maximum
            MedianCycleMs   = Get-Median ($cycles.Ms)
            PerCycle        = @($cycles.Requests)
        }
    }
    $samples.wait = $waitRuns

    # ---------------------------------------------------------------- Get-CfTask -AllSpaces | Measure-Object
    # A fake of its own, holding only the foundation-sized data set (50 spaces of 2 apps), so the admin's -AllSpaces sees
    # exactly those tasks; the requests of one CfTasks run are counted there.
    Write-Host "all spaces: $Repetitions x CfTasks and floor ($AllSpacesTasks tasks in 50 spaces of 2 apps), requests counted at the fake"
    $wide = Start-FakeCloudFoundry
    try {
        $wideSeed = Invoke-FakeControl -Fake $wide -Path 'bulk/spaces' -Body @{ organization = 'big-org'; spaces = 50; appsPerSpace = 2; tasksPerApp = [int] [math]::Ceiling($AllSpacesTasks / 100) }
        $wideRuns = @{ cftasks = @(); floor = @(); requests = $null; expectedRequests = [math]::Ceiling($wideSeed.tasks / 5000) + [math]::Ceiling($wideSeed.apps / 50) }
        foreach ($i in 1..$Repetitions) {
            [void] (Invoke-FakeControl -Fake $wide -Method DELETE -Path requests)
            $wideRuns.cftasks += Invoke-Pwsh @{ Api = $wide.Url; ModulePath = $ModulePath; Scenario = 'allspaces' }
            if ($i -eq 1) {
                $listed = @(Invoke-FakeControl -Fake $wide -Method GET -Path requests | ForEach-Object { $_ } |
                        Where-Object { $_.method -eq 'GET' -and $_.path -in '/v3/tasks', '/v3/apps', '/v3/spaces', '/v3/organizations' -and $_.query -notmatch 'names=' })
                $wideRuns.requests = [pscustomobject]@{
                    Tasks = @($listed | Where-Object path -eq '/v3/tasks').Count
                    Apps  = @($listed | Where-Object path -eq '/v3/apps').Count
                    Other = @($listed | Where-Object path -in '/v3/spaces', '/v3/organizations').Count
                }
            }
            $wideRuns.floor += Invoke-Floor @{ api = $wide.Url; scenario = 'allspaces' }
        }
        foreach ($r in $wideRuns.cftasks + $wideRuns.floor) { if ($r.count -ne $wideSeed.tasks) { throw "An all-spaces listing counted $($r.count), not $($wideSeed.tasks)." } }
        $samples.allSpaces = $wideRuns
    }
    finally {
        Stop-FakeCloudFoundry $wide
    }

    # ---------------------------------------------------------------- cold: fresh pwsh, import, connect, first Get-CfTask
    Write-Host "cold: $ColdRepetitions x fresh pwsh (import, connect, first Get-CfTask) and fresh floor"
    $coldRuns = @{ cftasks = @(); floor = @() }
    foreach ($i in 1..$ColdRepetitions) {
        $coldRuns.cftasks += Invoke-Pwsh ($common + @{ Scenario = 'cold'; App = 'small' })
        $coldRuns.floor += Invoke-Floor ($floorCommon + @{ scenario = 'cold'; app = 'small' })
    }
    $samples.cold = $coldRuns
}
finally {
    Stop-FakeCloudFoundry $fake
}
$loadAfter = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ' ' } else { 'n/a' }

# ------------------------------------------------------------------ the table

function Med($Runs, [string] $Property = 'ms') { Get-Median @($Runs | ForEach-Object { [double] $_.$Property }) }

$rows = [Collections.Generic.List[object]]::new()
function Add-Row($Scenario, $CfTasks, $Floor, $Irm, $VsFloor, $IrmVs, $Memory, $Target, $Met) {
    $rows.Add([pscustomobject][ordered]@{
            Scenario = $Scenario; CfTasks = $CfTasks; Floor = $Floor; 'Invoke-RestMethod' = $Irm
            'CfTasks / floor' = $VsFloor; 'IRM / CfTasks' = $IrmVs; 'Peak WS (above idle)' = $Memory; Target = $Target; Met = $Met
        })
}
function Yes([bool] $Condition) { if ($Condition) { 'yes' } else { '**no**' } }

$bareMedian = Get-Median $samples.import.bareMs
$importMedian = Get-Median $samples.import.importMs
$importAdds = $importMedian - $bareMedian
Add-Row "Import-Module (fresh pwsh, median of $ImportRepetitions)" ("{0:+0;-0} ms ({1} vs bare {2}; {3} inside)" -f $importAdds, (Format-Ms $importMedian), (Format-Ms $bareMedian), (Format-Ms (Get-Median $samples.import.importInsideMs))) '' '' '' '' '' '<= +150 ms' (Yes ($importAdds -le 150))
$emptyAdds = (Get-Median $samples.import.emptyModuleMs) - $bareMedian
Add-Row "  same, a binary module with one cmdlet and nothing else (the import floor)" ("{0:+0;-0} ms ({1} inside)" -f $emptyAdds, (Format-Ms (Get-Median $samples.import.emptyModuleInsideMs))) '' '' '' '' '' 'explains' ''

$t = $samples.tasks
$tC = Med $t.cftasks; $tF = Med $t.floor; $tI = Med $t.irm
$tMemRuns = @($t.cftasks) + @($t.memoryOnly); $tMemSmallRuns = @($t.cftasksSmall) + @($t.memoryOnlySmall)
$tMem = (Med $tMemRuns 'peakWorkingSet') - $idlePeak
$tMemSmall = (Med $tMemSmallRuns 'peakWorkingSet') - $idlePeak
$flat = $tMem -le 1.25 * $tMemSmall # issue 12: within 1.25x from 10,000 to 100,000
Add-Row ("Get-CfTask -AppName big | Measure-Object ({0:N0} tasks)" -f $Tasks) (Format-Ms $tC) (Format-Ms $tF) (Format-Ms $tI) (Format-Ratio ($tC / $tF)) (Format-Ratio ($tI / $tC)) `
("{0} (IRM {1}, floor {2})" -f (Format-MB $tMem), (Format-MB ((Med $t.irm 'peakWorkingSet') - $idlePeak)), (Format-MB (Med $t.floor 'peakWorkingSet'))) '<= 1.3x floor; >= 5x IRM; <= 150 MB' `
(Yes ($tC / $tF -le 1.3 -and $tI / $tC -ge 5 -and $tMem -le 150MB))
Add-Row ("  same, CfTasks fully JIT-optimised (DOTNET_TieredCompilation=0)") (Format-Ms (Med $t.fullJit)) (Format-Ms $tF) '' (Format-Ratio ((Med $t.fullJit) / $tF)) '' '' 'explains' ''
Add-Row ("  PowerShell alone: Write-Output {0:N0} CfTask objects | Measure-Object" -f $Tasks) (Format-Ms (Med $t.pipeline)) '' '' '' '' '' 'explains' ''
Add-Row ("same, {0:N0} tasks (memory flat?)" -f $SmallTasks) (Format-Ms (Med $t.cftasksSmall)) (Format-Ms (Med $t.floorSmall)) '' (Format-Ratio ((Med $t.cftasksSmall) / (Med $t.floorSmall))) '' ("{0} ({1} at {2:N0}); GC heap committed {3} -> {4}" -f (Format-MB $tMemSmall), (Format-Ratio ($tMem / $tMemSmall)), $Tasks, (Format-MB (Med $tMemSmallRuns 'gcCommitted')), (Format-MB (Med $tMemRuns 'gcCommitted'))) ("<= 1.25x from {0:N0} to {1:N0}" -f $SmallTasks, $Tasks) (Yes $flat)

$tMemLarge = (Med $t.memoryOnlyLarge 'peakWorkingSet') - $idlePeak
Add-Row ("  same, {0:N0} tasks (memory)" -f $LargeTasks) (Format-Ms (Med $t.memoryOnlyLarge)) '' '' '' '' ("{0} ({1} of {2:N0}); GC heap committed {3}" -f (Format-MB $tMemLarge), (Format-Ratio ($tMemLarge / $tMem)), $Tasks, (Format-MB (Med $t.memoryOnlyLarge 'gcCommitted'))) 'explains' ''

$a = $samples.allSpaces
$aC = Med $a.cftasks; $aF = Med $a.floor
$aMem = (Med $a.cftasks 'peakWorkingSet') - $idlePeak
$aRequests = $a.requests.Tasks + $a.requests.Apps + $a.requests.Other
Add-Row ("Get-CfTask -AllSpaces | Measure-Object ({0:N0} tasks, 50 spaces, 100 apps)" -f $AllSpacesTasks) `
("{0} ({1} requests: {2} task pages, {3} app look-ups, {4} other)" -f (Format-Ms $aC), $aRequests, $a.requests.Tasks, $a.requests.Apps, $a.requests.Other) `
("{0} ({1} requests)" -f (Format-Ms $aF), (Med $a.floor 'requests')) '' (Format-Ratio ($aC / $aF)) '' `
("{0} (floor {1})" -f (Format-MB $aMem), (Format-MB (Med $a.floor 'peakWorkingSet'))) ("<= 1.5x floor; {0} requests; <= 150 MB" -f $a.expectedRequests) `
(Yes ($aC / $aF -le 1.5 -and $aRequests -eq $a.expectedRequests -and $aMem -le 150MB))

$l = $samples.logs
$lC = Med $l.cftasks; $lF = Med $l.floor; $lI = Med $l.irm
$lMem = (Med $l.cftasks 'peakWorkingSet') - $idlePeak
Add-Row ("`$task | Get-CfTaskLog | Measure-Object ({0:N0} lines)" -f $LogLines) (Format-Ms $lC) (Format-Ms $lF) (Format-Ms $lI) (Format-Ratio ($lC / $lF)) (Format-Ratio ($lI / $lC)) `
("{0} (IRM {1})" -f (Format-MB $lMem), (Format-MB ((Med $l.irm 'peakWorkingSet') - $idlePeak))) '<= 1.5x floor; >= 5x IRM' (Yes ($lC / $lF -le 1.5 -and $lI / $lC -ge 5))

Add-Row ("  same, CfTasks fully JIT-optimised (DOTNET_TieredCompilation=0)") (Format-Ms (Med $l.fullJit)) (Format-Ms $lF) '' (Format-Ratio ((Med $l.fullJit) / $lF)) '' '' 'explains' ''

$s = $samples.start
$sC = Med $s.cftasks; $sSeq = Med $s.sequential; $sF = Med $s.floor; $sI = Med $s.irm
Add-Row ("{0} apps | Start-CfTask, {1} ms latency" -f $Apps, $LatencyMs) ("{0} (-ThrottleLimit 1: {1}; {2}x faster)" -f (Format-Ms $sC), (Format-Ms $sSeq), ('{0:0.0}' -f ($sSeq / $sC))) (Format-Ms $sF) (Format-Ms $sI) (Format-Ratio ($sC / $sF)) (Format-Ratio ($sI / $sC)) `
("max in flight at the fake: {0}" -f (($s.maxInFlight | Measure-Object -Maximum).Maximum)) '>= 6x faster than -ThrottleLimit 1' (Yes ($sSeq / $sC -ge 6))

$w = $samples.wait
Add-Row ("Wait-CfTask, {0} running tasks (requests per poll cycle)" -f $WaitTasks) ("{0} ({1} cycles, {2} per cycle)" -f $w.cftasks.MaxPerCycle, $w.cftasks.Cycles, (Format-Ms $w.cftasks.MedianCycleMs)) `
("{0} ({1} per cycle)" -f $w.floor.MaxPerCycle, (Format-Ms $w.floor.MedianCycleMs)) ("{0} ({1} per cycle)" -f $w.irm.MaxPerCycle, (Format-Ms $w.irm.MedianCycleMs)) '' '' '' '<= 10 requests per cycle' (Yes ($w.cftasks.MaxPerCycle -le 10))

$c = $samples.cold
$cPhase = { param($name) Get-Median @($c.cftasks | ForEach-Object { [double] $_.phases.$name }) }
$fPhase = { param($name) Get-Median @($c.floor | ForEach-Object { [double] $_.phases.$name }) }
Add-Row 'fresh pwsh: import, connect, first Get-CfTask' ("{0} (start {1}, import {2}, connect {3}, first call {4})" -f (Format-Ms (Med $c.cftasks)), (Format-Ms (& $cPhase startMs)), (Format-Ms (& $cPhase importMs)), (Format-Ms (& $cPhase connectMs)), (Format-Ms (& $cPhase firstCallMs))) `
("{0} (start {1}, connect {2}, first call {3})" -f (Format-Ms (Med $c.floor)), (Format-Ms (& $fPhase startMs)), (Format-Ms (& $fPhase connectMs)), (Format-Ms (& $fPhase firstCallMs))) '' (Format-Ratio ((Med $c.cftasks) / (Med $c.floor))) '' (Format-MB ((Med $c.cftasks 'peakWorkingSet') - $idlePeak)) 'reported' 'reported'

# ------------------------------------------------------------------ print and write

$headers = 'Scenario', 'CfTasks', 'Floor', 'Invoke-RestMethod', 'CfTasks / floor', 'IRM / CfTasks', 'Peak WS (above idle)', 'Target', 'Met'
$md = [Text.StringBuilder]::new()
$cpu = try { ((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -split ':', 2)[1].Trim() } catch { 'unknown CPU' }
[void] $md.AppendLine("# CfTasks benchmark results")
[void] $md.AppendLine()
[void] $md.AppendLine(("Run {0:yyyy-MM-dd HH:mm} UTC on {1} ({2} logical cores, {3}), PowerShell {4}, .NET {5}." -f $runStarted.ToUniversalTime(), [Environment]::MachineName, [Environment]::ProcessorCount, $cpu, $PSVersionTable.PSVersion, [Environment]::Version))
[void] $md.AppendLine("Load average (1/5/15 min) before: $loadBefore; after: $loadAfter. Idle pwsh peak working set: $(Format-MB $idlePeak).")
[void] $md.AppendLine(("Medians of {0} fresh processes per variant ({1} for Invoke-RestMethod and the explanatory rows, {2} for import, {3} for the cold start, {5} for the listing's memory){4}. Ratios are within this run." -f $Repetitions, $IrmRepetitions, $ImportRepetitions, $ColdRepetitions, $(if ($Quick) { "; -Quick sizes: a smoke run, not a measurement" } else { "" }), [math]::Max($Repetitions, $MemoryRepetitions)))
[void] $md.AppendLine()
[void] $md.AppendLine('| ' + ($headers -join ' | ') + ' |')
[void] $md.AppendLine('|' + (($headers | ForEach-Object { '---' }) -join '|') + '|')
foreach ($row in $rows) { [void] $md.AppendLine('| ' + (($headers | ForEach-Object { ([string] $row.$_) -replace '\|', '\|' }) -join ' | ') + ' |') }
[void] $md.AppendLine()
[void] $md.AppendLine('## Details')
[void] $md.AppendLine()
[void] $md.AppendLine(('- Allocated during the listing (median): CfTasks {0}, floor {1}, Invoke-RestMethod {2}; during the log read: CfTasks {3}, floor {4}, Invoke-RestMethod {5}.' -f
        (Format-MB (Med $t.cftasks 'allocatedBytes')), (Format-MB (Med $t.floor 'allocatedBytes')), (Format-MB (Med $t.irm 'allocatedBytes')),
        (Format-MB (Med $l.cftasks 'allocatedBytes')), (Format-MB (Med $l.floor 'allocatedBytes')), (Format-MB (Med $l.irm 'allocatedBytes'))))
[void] $md.AppendLine(('- Listing samples (ms): CfTasks {0}; floor {1}; Invoke-RestMethod {2}.' -f (($t.cftasks.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', '), (($t.floor.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', '), (($t.irm.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', ')))
[void] $md.AppendLine(('- All-spaces samples (ms): CfTasks {0}; floor {1}.' -f (($a.cftasks.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', '), (($a.floor.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', ')))
[void] $md.AppendLine(('- Log samples (ms): CfTasks {0}; floor {1}; Invoke-RestMethod {2}.' -f (($l.cftasks.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', '), (($l.floor.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', '), (($l.irm.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', ')))
[void] $md.AppendLine(('- Fan-out samples (ms): ThrottleLimit 8 {0}; ThrottleLimit 1 {1}.' -f (($s.cftasks.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', '), (($s.sequential.ms | ForEach-Object { '{0:0}' -f $_ }) -join ', ')))
[void] $md.AppendLine(('- Wait requests per poll cycle: CfTasks {0}; floor {1}; Invoke-RestMethod {2}.' -f ($w.cftasks.PerCycle -join ', '), ($w.floor.PerCycle -join ', '), ($w.irm.PerCycle -join ', ')))
[void] $md.AppendLine(('- Import: bare pwsh {0} ms; with Import-Module {1} ms; Import-Module alone (inside) {2} ms.' -f (($samples.import.bareMs | ForEach-Object { '{0:0}' -f $_ }) -join ', '), (($samples.import.importMs | ForEach-Object { '{0:0}' -f $_ }) -join ', '), (($samples.import.importInsideMs | ForEach-Object { '{0:0}' -f $_ }) -join ', ')))
$coldMedian = $c.cftasks | Sort-Object ms | Select-Object -Index ([math]::Floor(($c.cftasks.Count - 1) / 2))
[void] $md.AppendLine('- Cold start, where the time goes (the median run; -Verbose lines stamped from the start of each command):')
[void] $md.AppendLine()
[void] $md.AppendLine('```')
[void] $md.AppendLine(('{0,7:0} ms  pwsh start to first script line' -f $coldMedian.phases.startMs))
[void] $md.AppendLine(('{0,7:0} ms  Import-Module' -f $coldMedian.phases.importMs))
[void] $md.AppendLine(('{0,7:0} ms  Connect-CfTarget' -f $coldMedian.phases.connectMs))
[void] $md.AppendLine(('{0,7:0} ms  first Get-CfTask -AppName small (10 tasks)' -f $coldMedian.phases.firstCallMs))
foreach ($line in @($coldMedian.phases.verbose)) { [void] $md.AppendLine($line) }
[void] $md.AppendLine('```')

$text = $md.ToString()
New-Item -ItemType Directory -Force -Path (Split-Path $ResultPath) | Out-Null
Set-Content -LiteralPath $ResultPath -Value $text -Encoding utf8NoBOM
Set-Content -LiteralPath ([IO.Path]::ChangeExtension($ResultPath, '.json')) -Value ($samples | ConvertTo-Json -Depth 8) -Encoding utf8NoBOM
Write-Host ''
Write-Host $text
Write-Host "written to $ResultPath ($('{0:0.0}' -f ((Get-Date) - $runStarted).TotalMinutes) min)"
