# Windows PowerShell 5.1: checks the .NET Framework version, then imports the Desktop build. Dot-sourced by
# CfTasks.psm1 (so the Desktop build is a nested module of CfTasks); never run by PowerShell 7.
# .NET Framework's release number is Microsoft's documented check: 461808 is 4.7.2. An older framework would fail later
# and obscurely (netstandard2.0 support, TLS, HttpClientHandler's settings), so it is refused here, by name.
$release = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction Ignore
if (-not $release -or $release.Release -lt 461808) {
    throw 'CfTasks needs .NET Framework 4.7.2 or later in Windows PowerShell 5.1 (install .NET Framework 4.8 from Microsoft), or PowerShell 7.4 or later.'
}
Import-Module "$PSScriptRoot/Desktop/CfTasks.dll" -ErrorAction Stop
