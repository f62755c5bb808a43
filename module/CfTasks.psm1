# Loads the build for this PowerShell: Core/ (net8.0) in PowerShell 7.4+, Desktop/ (net472) in Windows PowerShell 5.1.
# Both share CfTasks.Objects.dll (RequiredAssemblies), the format and type data, and the help in this folder.
if ($PSEdition -eq 'Core') {
    if ($PSVersionTable.PSVersion -lt [version] '7.4') {
        throw "CfTasks needs PowerShell 7.4 or later, or Windows PowerShell 5.1 with .NET Framework 4.7.2 or later; this is PowerShell $($PSVersionTable.PSVersion)."
    }
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, 'Core', 'CfTasks.dll'))
}
else {
    # .NET Framework's release number (Microsoft's documented check): 461808 is 4.7.2.
    $release = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction Ignore
    if (-not $release -or $release.Release -lt 461808) {
        throw 'CfTasks needs .NET Framework 4.7.2 or later in Windows PowerShell 5.1 (install .NET Framework 4.8 from Microsoft), or PowerShell 7.4 or later.'
    }
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, 'Desktop', 'CfTasks.dll'))
}
