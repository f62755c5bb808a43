@{
    ModuleVersion     = '1.0.0'
    RootModule        = 'CfTasks.Bench.EmptyModule.dll'
    GUID              = '0d9a54a4-3a52-4b8e-9c55-6a2f8f7f3b10'
    Description       = 'The benchmark import floor: one cmdlet, nothing else.'
    PowerShellVersion = '7.4'
    CmdletsToExport   = @('Get-BenchEmpty')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
