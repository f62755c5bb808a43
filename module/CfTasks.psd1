@{
    # The one place the module version lives: the assemblies and the package read it from here.
    ModuleVersion        = '0.1.0'
    # The build for the running edition ($PSEdition is one of the few variables a manifest may read, from Windows
    # PowerShell 5.1 on): PowerShell 7.4+ imports Core/CfTasks.dll (net8.0) itself, with no script in between (a script
    # loader cost ~75 ms per import); Windows PowerShell 5.1 runs CfTasks.Desktop.psm1, which checks the .NET Framework
    # version and imports Desktop/CfTasks.dll (net472).
    RootModule           = if ($PSEdition -eq 'Core') { 'Core/CfTasks.dll' } else { 'CfTasks.Desktop.psm1' }
    # The user-facing types ([CfTasks.CfTaskState]::Failed), one netstandard2.0 assembly shared by both builds, must
    # resolve as soon as the module is imported.
    RequiredAssemblies   = @('CfTasks.Objects.dll')
    GUID                 = '5b0f3c6e-8a51-4d0e-9f0e-6f3b2d7c1a94'
    Author               = 'CfTasks contributors'
    CompanyName          = 'CfTasks'
    Copyright            = '(c) CfTasks contributors. MIT License.'
    Description          = 'Run, watch and read the logs of Cloud Foundry tasks from PowerShell, as typed objects.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('CfTasks.format.ps1xml')
    TypesToProcess       = @('CfTasks.types.ps1xml')
    CmdletsToExport      = @(
        'Connect-CfTarget'
        'Disconnect-CfTarget'
        'Get-CfTarget'
        'Set-CfTarget'
        'Get-CfApp'
        'Get-CfTask'
        'Start-CfTask'
        'Stop-CfTask'
        'Set-CfTask'
        'Wait-CfTask'
        'Get-CfTaskLog'
        'Get-CfAccessToken'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('CloudFoundry', 'CF', 'Tasks', 'PaaS', 'DevOps', 'PSEdition_Desktop', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            # ProjectUri and LicenseUri are left out until the project has a public home (the licence is the
            # LICENSE file shipped beside this manifest's source, MIT).
            ReleaseNotes = @'
0.1.0: first release. Connect to Cloud Foundry (credentials, CF_* variables or a cf CLI login); start, list, cancel
and wait for tasks (Start-CfTask, Get-CfTask, Stop-CfTask, Wait-CfTask, Get-CfApp); read, follow and redact task logs
(Get-CfTaskLog); Azure DevOps and GitHub Actions log integration; offline help and tab completion.
Full list: CHANGELOG.md in the source repository.
'@
        }
    }
}
