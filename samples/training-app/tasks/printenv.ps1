# The classic Cloud Foundry tasks lab: show the environment a task runs with.
# Careful: this writes every variable, secrets included, into the app's log.
# The PowerShell twin of printenv.sh: the emulator runs it where there is no bash (see docs/emulator.md).
# Written straight to standard output so that no line is wrapped at a console width (VCAP_SERVICES is long).
foreach ($variable in Get-ChildItem -Path Env:) {
    [Console]::Out.WriteLine($variable.Name + '=' + $variable.Value)
}
