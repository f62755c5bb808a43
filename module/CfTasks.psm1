# Imports the build for this PowerShell: Core/CfTasks.dll (net8.0) in PowerShell 7.4+, Desktop/CfTasks.dll (net472) in
# Windows PowerShell 5.1 (CfTasks.Desktop.ps1). Both share CfTasks.Objects.dll (RequiredAssemblies), the format and
# type data and the help in this folder. This runs at every import, so the Core path is kept to the bare minimum (no
# .NET method calls: each first one costs milliseconds); checks run only when the import fails. Figures and layout:
# docs/architecture.md.
if ($PSEdition -eq 'Core') {
    try {
        Import-Module "$PSScriptRoot/Core/CfTasks.dll" -ErrorAction Stop
    }
    catch {
        # The Core build is net8.0: PowerShell 7.0 to 7.3 run on older .NET and cannot load it.
        if ($PSVersionTable.PSVersion -lt [version] '7.4') {
            throw "CfTasks needs PowerShell 7.4 or later, or Windows PowerShell 5.1 with .NET Framework 4.7.2 or later; this is PowerShell $($PSVersionTable.PSVersion)."
        }
        throw
    }
}
else {
    . "$PSScriptRoot/CfTasks.Desktop.ps1"
}
