# Windows PowerShell 5.1's root module (the manifest picks it by $PSEdition; PowerShell 7 imports Core/CfTasks.dll
# directly). Checks the .NET Framework version, then imports the Desktop build as a nested module of CfTasks.
# .NET Framework's release number is Microsoft's documented check: 461808 is 4.7.2. An older framework would fail later
# and obscurely (netstandard2.0 support, TLS, HttpClientHandler's settings), so it is refused here, by name.
$release = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction Ignore
if (-not $release -or $release.Release -lt 461808) {
    throw 'CfTasks needs .NET Framework 4.7.2 or later in Windows PowerShell 5.1 (install .NET Framework 4.8 from Microsoft), or PowerShell 7.4 or later.'
}
Import-Module "$PSScriptRoot/Desktop/CfTasks.dll" -ErrorAction Stop
