# The app's default task command (the 'task' process): what runs when no -Command is given.
# The PowerShell twin of default.sh: the emulator runs it where there is no bash (see docs/emulator.md).
Write-Output 'training-app: nightly housekeeping done'
