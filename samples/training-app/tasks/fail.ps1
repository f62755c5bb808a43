# A task that fails: Cloud Foundry marks it FAILED with "Exited with status 3".
# The PowerShell twin of fail.sh: the emulator runs it where there is no bash (see docs/emulator.md).
Write-Output 'checking the training database schema'
[Console]::Error.WriteLine('schema version 41 is older than the required 42')
exit 3
