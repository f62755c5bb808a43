#requires -Version 7.4
<#
.SYNOPSIS
    One measured run of one benchmark scenario, in a fresh pwsh started by Invoke-Benchmark.ps1.
.DESCRIPTION
    Signs in (untimed, unless the scenario is 'cold'), then times the scenario's operation with a Stopwatch and
    prints one JSON line: ms, count, allocated bytes ([GC]::GetTotalAllocatedBytes), the process's peak working set and the
    memory the GC heap had committed at its last collection.
    Variants: cftasks (the module), irm (bench/irm/CfIrm.ps1), idle (does nothing: the memory baseline).
    Scenario 'pipeline' is PowerShell's own share: -ObjectCount CfTask objects, made before the timer, written by a compiled
    cmdlet (Write-Output) to Measure-Object, with no HTTP at all.
#>
param(
    [Parameter(Mandatory)][ValidateSet('tasks', 'allspaces', 'logs', 'start', 'wait', 'cold', 'idle', 'pipeline')] [string] $Scenario,
    [ValidateSet('cftasks', 'irm')] [string] $Variant = 'cftasks',
    [string] $Api,
    [string] $ModulePath,
    [string] $App,
    [string] $TaskGuid,
    [string] $AppPrefix,
    [int] $ThrottleLimit = 8,
    [int] $WaitTimeout = 5,
    [int] $Cycles = 2,
    [int] $ObjectCount = 100000
)
$ErrorActionPreference = 'Stop'
$processStart = (Get-Process -Id $PID).StartTime
$scriptAt = Get-Date
$user = 'admin'
$password = 'admin-password'
$phases = [ordered]@{}

function Out-Result([double] $Ms, [long] $Count, [long] $Allocated) {
    [ordered]@{
        scenario       = $Scenario
        variant        = $Variant
        ms             = $Ms
        count          = $Count
        allocatedBytes = $Allocated
        peakWorkingSet = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
        gcCommitted    = [GC]::GetGCMemoryInfo().TotalCommittedBytes
        phases         = $phases
    } | ConvertTo-Json -Compress -Depth 5
}

if ($Scenario -eq 'idle') { Out-Result 0 0 0; return }

if ($Scenario -eq 'pipeline') {
    Import-Module $ModulePath
    $objects = [object[]]::new($ObjectCount)
    for ($i = 0; $i -lt $ObjectCount; $i++) { $objects[$i] = [CfTasks.CfTask]::new() }
    [GC]::Collect()
    $allocated = [GC]::GetTotalAllocatedBytes($true)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $n = (Write-Output $objects | Measure-Object).Count
    Out-Result $watch.Elapsed.TotalMilliseconds $n ([GC]::GetTotalAllocatedBytes($true) - $allocated)
    return
}

if ($Scenario -eq 'cold') {
    # Everything from process start: pwsh start, import, connect, first Get-CfTask; -Verbose lines stamped as they arrive.
    $phases.startMs = ($scriptAt - $processStart).TotalMilliseconds
    $allocated = [GC]::GetTotalAllocatedBytes($true)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    Import-Module $ModulePath
    $phases.importMs = $watch.Elapsed.TotalMilliseconds
    $verbose = [Collections.Generic.List[string]]::new()
    $t = $watch.Elapsed.TotalMilliseconds
    $credential = [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
    Connect-CfTarget $Api -Credential $credential -Organization demo-org -Space demo-space -Verbose 4>&1 |
        ForEach-Object { if ($_ -is [Management.Automation.VerboseRecord]) { $verbose.Add(('{0,7:0} ms  connect  {1}' -f ($watch.Elapsed.TotalMilliseconds - $t), $_.Message)) } }
    $phases.connectMs = $watch.Elapsed.TotalMilliseconds - $t
    $t = $watch.Elapsed.TotalMilliseconds
    $count = 0
    Get-CfTask -AppName $App -Verbose 4>&1 | ForEach-Object {
        if ($_ -is [Management.Automation.VerboseRecord]) { $verbose.Add(('{0,7:0} ms  Get-CfTask  {1}' -f ($watch.Elapsed.TotalMilliseconds - $t), $_.Message)) }
        else { $count++ }
    }
    $phases.firstCallMs = $watch.Elapsed.TotalMilliseconds - $t
    $phases.verbose = $verbose.ToArray()
    $total = ((Get-Date) - $processStart).TotalMilliseconds
    Out-Result $total $count ([GC]::GetTotalAllocatedBytes($true) - $allocated)
    return
}

# ---- sign in, untimed
if ($Variant -eq 'cftasks') {
    Import-Module $ModulePath
    $credential = [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
    Connect-CfTarget $Api -Credential $credential -Organization demo-org -Space demo-space | Out-Null
}
else {
    . (Join-Path $PSScriptRoot 'irm/CfIrm.ps1')
    $cf = Connect-IrmCf -Api $Api -User $user -Password $password -Org demo-org -Space demo-space
}

# ---- inputs the user already holds, untimed
switch ($Scenario) {
    'logs' {
        $task = if ($Variant -eq 'cftasks') { Get-CfTask -Guid $TaskGuid } else { Invoke-RestMethod -Uri "$Api/v3/tasks/$TaskGuid" -Headers $cf.Headers }
    }
    'start' {
        $apps = if ($Variant -eq 'cftasks') { @(Get-CfApp "$AppPrefix*") } else {
            @((Invoke-RestMethod -Uri "$Api/v3/apps?per_page=5000&space_guids=$($cf.SpaceGuid)" -Headers $cf.Headers).resources | Where-Object name -like "$AppPrefix*")
        }
    }
    'wait' {
        $tasks = if ($Variant -eq 'cftasks') { @(Get-CfTask -AppName $App -State Running) } else { @(Get-IrmTask $cf $App -State RUNNING) }
    }
}

# ---- the measured operation
[GC]::Collect()
$allocated = [GC]::GetTotalAllocatedBytes($true)
$watch = [Diagnostics.Stopwatch]::StartNew()
$count = switch ($Scenario) {
    'tasks' {
        if ($Variant -eq 'cftasks') { (Get-CfTask -AppName $App | Measure-Object).Count }
        else { (Get-IrmTask $cf $App | Measure-Object).Count }
    }
    'allspaces' {
        # Every task the admin can see, in every space, with app, space and organization names looked up in batches.
        if ($Variant -eq 'cftasks') { (Get-CfTask -AllSpaces | Measure-Object).Count }
        else { throw 'The all-spaces scenario has no Invoke-RestMethod variant.' }
    }
    'logs' {
        if ($Variant -eq 'cftasks') { ($task | Get-CfTaskLog | Measure-Object).Count }
        else { (Get-IrmTaskLog $cf $task | Measure-Object).Count }
    }
    'start' {
        if ($Variant -eq 'cftasks') { ($apps | Start-CfTask -Command 'echo hi' -ThrottleLimit $ThrottleLimit | Measure-Object).Count }
        else { (Start-IrmTask $cf $apps -Command 'echo hi' | Measure-Object).Count }
    }
    'wait' {
        # The tasks never finish: the wait ends by -Timeout (CfTasks) or after -Cycles polls (irm); the requests per
        # poll cycle are counted at the fake by the harness.
        if ($Variant -eq 'cftasks') { ($tasks | Wait-CfTask -Timeout $WaitTimeout -ErrorAction SilentlyContinue -ProgressAction SilentlyContinue | Measure-Object).Count; $tasks.Count }
        else { (Wait-IrmTask $cf $tasks -Cycles $Cycles | Measure-Object).Count; $tasks.Count }
    }
}
$ms = $watch.Elapsed.TotalMilliseconds
$count = @($count)[-1]
Out-Result $ms $count ([GC]::GetTotalAllocatedBytes($true) - $allocated)
