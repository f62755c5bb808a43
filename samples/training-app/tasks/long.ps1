# A long task (ten minutes unless told how many seconds), to be stopped with Stop-CfTask.
# The PowerShell twin of long.sh: the emulator runs it where there is no bash (see docs/emulator.md).
param([int] $Seconds = 600)
for ($i = 1; $i -le $Seconds; $i++) {
    Write-Output "working... ${i}s"
    Start-Sleep -Seconds 1
}
