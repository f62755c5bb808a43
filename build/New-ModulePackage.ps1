#requires -Version 7.4
<#
.SYNOPSIS
    Packs a staged module folder (out/CfTasks) into a publish-ready .nupkg with Compress-PSResource.
.DESCRIPTION
    Checks the manifest first (Test-ModuleManifest: version, exported cmdlets, files it names), then writes
    <Name>.<ModuleVersion>.nupkg to -DestinationPath and returns the file. The version comes from the manifest only.
    Publish the result with Publish-PSResource -NupkgPath <file> -Repository <repository> -ApiKey <key>.
    build.ps1 -Task Package runs this in its own pwsh after building.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DestinationPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$module = (Resolve-Path -LiteralPath $ModulePath).Path
$name = Split-Path -Leaf $module
$manifest = Test-ModuleManifest -Path (Join-Path $module "$name.psd1")
foreach ($required in "$name.Desktop.psm1", "Core/$name.dll", "Desktop/$name.dll", 'en-US/CfTasks.dll-Help.xml', 'en-US/about_CfTasks.help.txt') {
    if (-not (Test-Path -LiteralPath (Join-Path $module $required))) { throw "$required is missing from $module; build the module first." }
}
New-Item -ItemType Directory -Force -Path $DestinationPath | Out-Null
$destination = (Resolve-Path -LiteralPath $DestinationPath).Path
$package = Join-Path $destination "$name.$($manifest.Version).nupkg"
if (Test-Path -LiteralPath $package) { Remove-Item -LiteralPath $package -Force }
Compress-PSResource -Path $module -DestinationPath $destination
if (-not (Test-Path -LiteralPath $package)) { throw "Compress-PSResource did not write $package." }
Get-Item -LiteralPath $package
