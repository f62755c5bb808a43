#requires -Version 7.4
<#
.SYNOPSIS
    The CfTasks walkthrough: the classic Cloud Foundry tasks lab, end to end, against the local emulator.
.DESCRIPTION
    Starts the bundled emulator (tests/FakeCloudFoundry with --emulator: a local stand-in for Cloud Foundry, NOT Cloud
    Foundry, that really runs task commands on this machine - with bash, or with PowerShell and the app's .ps1 twins
    where there is no bash - in a temporary copy of samples/training-app), then shows
    each command before running it: connect, start the lab's printenv task, list tasks, read its log (with and
    without -Redact), a failing task under -Wait caught as an error, a long task stopped with Stop-CfTask, and the
    failed tasks exported to CSV. Cleans up after itself: the emulator is stopped (which kills any task still
    running) and the temporary folder removed.

    Run it through the build: dotnet pwsh ./build.ps1 -Task Demo
.PARAMETER ModulePath
    The staged module (out/CfTasks).
.PARAMETER FakePath
    The built FakeCloudFoundry.dll.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FakePath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Show-Step {
    # Prints a command the way it would be typed at a prompt, then runs it in the caller's scope (call with '.').
    param([Parameter(Mandatory)] [string] $Command)
    $lines = $Command.Trim() -split '\r?\n'
    Write-Host ''
    Write-Host ('PS> ' + $lines[0]) -ForegroundColor Cyan
    foreach ($line in $lines | Select-Object -Skip 1) { Write-Host ('>> ' + $line) -ForegroundColor Cyan }
    Invoke-Expression $Command | Out-Host
}

function Show-Note([string] $Text) {
    Write-Host ''
    Write-Host "# $Text" -ForegroundColor DarkGray
}

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$FakePath = (Resolve-Path -LiteralPath $FakePath).Path
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1') -Force
$env:CFTASKS_FAKE_DLL = $FakePath
$demoFolder = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "cftasks-demo-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
$fake = $null
try {
    Write-Host 'The CfTasks demo: the Cloud Foundry tasks lab against the local emulator (see docs/emulator.md).' -ForegroundColor Yellow
    $fake = Start-FakeCloudFoundry -Emulator
    $api = $fake.Url
    Import-Module $ModulePath -Force

    Show-Note "Log in as the emulator's seeded developer (password 'developer-password') and target demo-org/demo-space."
    . Show-Step '$credential = [pscredential]::new(''developer'', (ConvertTo-SecureString ''developer-password'' -AsPlainText -Force))'
    . Show-Step 'Connect-CfTarget -ApiEndpoint $api -Credential $credential -Organization demo-org -Space demo-space'

    Show-Note ('The tasks lab: training-app ships tasks/printenv.sh, a script that runs printenv (where there is no bash, the ' +
        'emulator runs its PowerShell twin, tasks/printenv.ps1). Run it as a task (cf run-task).')
    . Show-Step '$printenv = Start-CfTask training-app -Command ''tasks/printenv.sh'' -Name printenv -Memory 8M -Disk 64M'
    . Show-Step '$printenv = $printenv | Wait-CfTask'

    Show-Note 'List the app''s tasks (cf tasks).'
    . Show-Step 'Get-CfTask training-app'

    Write-Host ''
    Write-Warning ('Dumping the environment puts secrets into logs. printenv just wrote VCAP_SERVICES with the bound ' +
        'training-db''s credentials, DATABASE_PASSWORD and API_TOKEN into the app''s log, where anyone who can read the ' +
        'space''s logs can read them. Never dump the environment on a real foundation; when you must read such a log, ' +
        'use Get-CfTaskLog -Redact.')
    Show-Note 'Read what it printed (cf logs --recent), secrets and all.'
    . Show-Step '$printenv | Get-CfTaskLog'

    Show-Note 'The same log with -Redact: values of secret-looking variables and every credentials object are masked.'
    . Show-Step '$printenv | Get-CfTaskLog -Redact | Where-Object Message -Match ''^(DATABASE_PASSWORD|API_TOKEN|VCAP_SERVICES)='''

    Show-Note 'A task that fails (tasks/fail.sh exits 3): under -Wait the failure is a terminating error, so a pipeline step fails with it.'
    . Show-Step @'
try {
    Start-CfTask training-app -Command 'tasks/fail.sh' -Name check-schema -Wait
}
catch {
    "Start-CfTask failed: $($_.Exception.Message)"
    "ErrorId: $($_.FullyQualifiedErrorId)"
}
'@

    Show-Note 'A long task (tasks/long.sh prints a line a second for ten minutes), stopped with Stop-CfTask (cf terminate-task).'
    . Show-Step '$long = Start-CfTask training-app -Command ''tasks/long.sh'' -Name long-report'
    . Show-Step 'Start-Sleep -Seconds 3; $long | Get-CfTaskLog'
    . Show-Step '$long | Stop-CfTask -Wait -PassThru'

    Show-Note 'Every failed task of the space, for a report.'
    $csv = Join-Path $demoFolder 'failed-tasks.csv'
    . Show-Step 'Get-CfTask | Where-Object State -eq Failed | Export-Csv -Path $csv'
    . Show-Step 'Get-Content -Path $csv'

    . Show-Step 'Disconnect-CfTarget'
    Write-Host ''
    Write-Host 'Demo complete. The emulator is stopped next; any task still running is killed with it.' -ForegroundColor Green
}
finally {
    if ($fake) { Stop-FakeCloudFoundry $fake }
    Remove-Item -LiteralPath $demoFolder -Recurse -Force -ErrorAction SilentlyContinue
}
