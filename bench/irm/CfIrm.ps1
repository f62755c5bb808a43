# What an admin writes today without CfTasks: Invoke-RestMethod calls that follow Cloud Foundry's `next` links.
# Dot-source it (`. ./bench/irm/CfIrm.ps1`) and call the functions; bench/Invoke-Benchmark.ps1 times them against
# CfTasks and the floor on the same data. Written the straightforward way on purpose (per_page 5000, which is already
# kinder to it than the default 50 most scripts use): this is the baseline, not something to tune.

function Connect-IrmCf {
    param([string] $Api, [string] $User, [string] $Password, [string] $Org, [string] $Space)
    $root = Invoke-RestMethod -Uri "$Api/"
    $basic = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes('cf:'))
    $token = Invoke-RestMethod -Method Post -Uri "$($root.links.login.href)/oauth/token" -Headers @{ Authorization = "Basic $basic" } `
        -Body @{ grant_type = 'password'; username = $User; password = $Password }
    $headers = @{ Authorization = "bearer $($token.access_token)" }
    $orgGuid = (Invoke-RestMethod -Uri "$Api/v3/organizations?names=$Org" -Headers $headers).resources[0].guid
    $spaceGuid = (Invoke-RestMethod -Uri "$Api/v3/spaces?names=$Space&organization_guids=$orgGuid" -Headers $headers).resources[0].guid
    [pscustomobject]@{ Api = $Api; Headers = $headers; SpaceGuid = $spaceGuid; LogCache = $root.links.log_cache.href }
}

function Get-IrmApp {
    param($Cf, [string] $Name)
    (Invoke-RestMethod -Uri "$($Cf.Api)/v3/apps?names=$Name&space_guids=$($Cf.SpaceGuid)" -Headers $Cf.Headers).resources[0]
}

function Get-IrmTask {
    # cf tasks APP: every page of the app's tasks.
    param($Cf, [string] $AppName, [string] $State)
    $app = Get-IrmApp $Cf $AppName
    $url = "$($Cf.Api)/v3/apps/$($app.guid)/tasks?order_by=-created_at&per_page=5000"
    if ($State) { $url += "&states=$State" }
    while ($url) {
        $page = Invoke-RestMethod -Uri $url -Headers $Cf.Headers
        $page.resources
        $url = $page.pagination.next.href
    }
}

function Get-IrmTaskLog {
    # cf logs --recent, narrowed to one task: log-cache reads of 1000 envelopes, walking forwards through the task's window.
    param($Cf, $Task)
    $appGuid = $Task.relationships.app.data.guid
    $source = "APP/TASK/$($Task.name)"
    $start = ([DateTimeOffset] $Task.created_at).ToUnixTimeMilliseconds() * 1000000 - 1000000000
    $end = ([DateTimeOffset] $Task.updated_at).ToUnixTimeMilliseconds() * 1000000 + 2000000000
    do {
        $read = Invoke-RestMethod -Uri "$($Cf.LogCache)/api/v1/read/$($appGuid)?envelope_types=LOG&limit=1000&start_time=$start&end_time=$end" -Headers $Cf.Headers
        $batch = @($read.envelopes.batch)
        foreach ($envelope in $batch) {
            if ($envelope.tags.source_type -ne $source) { continue }
            [pscustomobject]@{
                Timestamp = [DateTimeOffset]::FromUnixTimeMilliseconds([long] $envelope.timestamp / 1000000).UtcDateTime
                Stream    = $envelope.log.type
                Message   = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($envelope.log.payload)).TrimEnd("`n")
            }
        }
        if ($batch.Count -gt 0) { $start = [long] $batch[-1].timestamp + 1 }
    } while ($batch.Count -eq 1000)
}

function Start-IrmTask {
    # cf run-task, once per app, one after another.
    param($Cf, [object[]] $App, [string] $Command)
    foreach ($a in $App) {
        Invoke-RestMethod -Method Post -Uri "$($Cf.Api)/v3/apps/$($a.guid)/tasks" -Headers $Cf.Headers `
            -ContentType 'application/json' -Body (@{ command = $Command } | ConvertTo-Json)
    }
}

function Wait-IrmTask {
    # Polls each task until it has finished (or -Cycles polls were made): one GET per task per cycle.
    param($Cf, [object[]] $Task, [int] $Cycles = [int]::MaxValue, [double] $IntervalSeconds = 3)
    $pending = [Collections.Generic.List[object]]::new([object[]] $Task)
    for ($cycle = 1; $pending.Count -gt 0 -and $cycle -le $Cycles; $cycle++) {
        if ($cycle -gt 1) { Start-Sleep -Seconds $IntervalSeconds }
        foreach ($t in @($pending)) {
            $now = Invoke-RestMethod -Uri "$($Cf.Api)/v3/tasks/$($t.guid)" -Headers $Cf.Headers
            if ($now.state -in 'SUCCEEDED', 'FAILED') { $now; [void] $pending.Remove($t) }
        }
    }
}
