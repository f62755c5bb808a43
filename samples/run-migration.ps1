#requires -Version 5.1
<#
.SYNOPSIS
    A pipeline step: runs a migration task on a Cloud Foundry app, streams its log, and fails when the task fails.
.DESCRIPTION
    Connects from the CF_* environment variables (CF_API, CF_CLIENT_ID/CF_CLIENT_SECRET or CF_USERNAME/CF_PASSWORD,
    or CF_ASSERTION for a keyless sign-in with the job's OIDC token; CF_ORG, CF_SPACE), starts the task with
    Start-CfTask -Follow and exits:
      0  the task succeeded;
      1  the task failed (its failure reason is the error; under Azure DevOps also a ##vso[task.logissue] line), or
         anything else went wrong (connection, unknown app, ...).
    Under Azure DevOps (TF_BUILD=True) the task's log is a collapsible ##[group] section of the step log.
    Runs in PowerShell 7 (pwsh) and in Windows PowerShell 5.1 (powershell.exe) alike.
.EXAMPLE
    pwsh -File samples/run-migration.ps1 -AppName billing-api -Command 'bin/rake db:migrate'
.EXAMPLE
    powershell.exe -NoProfile -File samples\run-migration.ps1 -AppName billing-api -Command 'bin/rake db:migrate'
#>
[CmdletBinding()]
param(
    # The app to run the migration on.
    [Parameter(Mandatory)] [string] $AppName,
    # The migration command.
    [Parameter(Mandatory)] [string] $Command,
    # The task's name (shown by Get-CfTask and cf tasks).
    [string] $TaskName = 'migrate',
    # Memory for the task (8M, 512M, 1G or megabytes).
    [string] $Memory,
    # Give up waiting after this many seconds (the task keeps running).
    [int] $TimeoutSeconds = 3600,
    # Where the CfTasks module is, when it is not installed (e.g. a pipeline artifact).
    [string] $ModulePath = $env:CFTASKS_MODULE_PATH
)

$ErrorActionPreference = 'Stop'   # any error ends the step with exit code 1
Import-Module $(if ($ModulePath) { $ModulePath } else { 'CfTasks' })

Connect-CfTarget | Out-Null       # no parameters: everything from CF_* (secrets never appear in the log)
$target = Get-CfTarget
Write-Host "Running '$Command' as task '$TaskName' on $AppName in $($target.Organization)/$($target.Space)"

$start = @{ AppName = $AppName; Command = $Command; Name = $TaskName; Timeout = $TimeoutSeconds }
if ($Memory) { $start.Memory = $Memory }
try {
    # -Follow: the log streams into the step log while the task runs; a Failed task is a terminating error.
    $task = Start-CfTask @start -Follow
    Write-Host "Task $($task.Name) (#$($task.SequenceId)) $($task.State) after $([int]($task.UpdatedAt - $task.CreatedAt).TotalSeconds) s"
}
finally {
    Disconnect-CfTarget
}
