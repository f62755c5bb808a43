#requires -Version 5.1
<#
.SYNOPSIS
    Installs CfTasks by name from a folder of packages or a private NuGet feed, in Windows PowerShell 5.1 or
    PowerShell 7 - for the time before a gallery hosts it.
.DESCRIPTION
    Registers the folder (a pipeline artifact, a file share holding the CfTasks.<version>.nupkg that
    'build.ps1 -Task Package' writes) or the feed (Azure Artifacts, any NuGet feed) as a repository under a temporary
    name, installs CfTasks from it for the current user, and unregisters it again, so the machine's repository list
    is left as it was. Prints the installed module's name, version and folder.

    Uses PSResourceGet (Register-PSResourceRepository, Install-PSResource) when it is available: it comes with
    PowerShell 7.4 and later, and Windows PowerShell 5.1 gets it with
    'Install-Module Microsoft.PowerShell.PSResourceGet -Scope CurrentUser' (docs/getting-started.md). Otherwise uses
    PowerShellGet 2 (Register-PSRepository, Install-Module), which needs the NuGet provider (2.8.5.201 or later) and
    speaks only the NuGet v2 protocol: give it a folder, or a feed's v2 URL (Azure Artifacts: .../nuget/v2).
.PARAMETER Path
    A folder holding CfTasks.<version>.nupkg.
.PARAMETER FeedUrl
    A NuGet feed, for example https://pkgs.dev.azure.com/<organization>/<project>/_packaging/<feed>/nuget/v3/index.json
.PARAMETER Credential
    Credentials for a private feed. Azure Artifacts takes any user name with a personal access token (Packaging: read)
    as the password. In Azure Pipelines, map the job's token instead (env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)):
    without -Credential, a set SYSTEM_ACCESSTOKEN is used for -FeedUrl.
.PARAMETER Version
    The version to install (default: the newest in the source).
.PARAMETER Using
    PSResourceGet or PowerShellGet (default: PSResourceGet when it is installed).
.EXAMPLE
    ./samples/install-cftasks.ps1 -Path ./out
    After 'dotnet pwsh ./build.ps1 -Task Package': installs out/CfTasks.<version>.nupkg for the current user.
.EXAMPLE
    powershell.exe -NoProfile -File samples\install-cftasks.ps1 -Path \\fileserver\psmodules -Using PowerShellGet
#>
[CmdletBinding(DefaultParameterSetName = 'Folder')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Folder')] [string] $Path,
    [Parameter(Mandatory, ParameterSetName = 'Feed')] [string] $FeedUrl,
    [Parameter(ParameterSetName = 'Feed')] [pscredential] $Credential,
    [string] $Version,
    [ValidateSet('PSResourceGet', 'PowerShellGet')] [string] $Using
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

if ($PSCmdlet.ParameterSetName -eq 'Folder') {
    $source = (Resolve-Path -LiteralPath $Path).Path
    if (-not (Get-ChildItem -LiteralPath $source -Filter 'CfTasks.*.nupkg')) { throw "No CfTasks.<version>.nupkg in $source." }
}
else {
    $source = $FeedUrl
    if (-not $Credential -and $env:SYSTEM_ACCESSTOKEN) {
        $token = ConvertTo-SecureString $env:SYSTEM_ACCESSTOKEN -AsPlainText -Force
        $Credential = New-Object System.Management.Automation.PSCredential ('AzureDevOps', $token)
    }
}
if (-not $Using) {
    $Using = if (Get-Command Install-PSResource -ErrorAction SilentlyContinue) { 'PSResourceGet' } else { 'PowerShellGet' }
}

$repository = 'CfTasksInstall' + [guid]::NewGuid().ToString('N').Substring(0, 8)
$credentialParameter = @{}
if ($Credential) { $credentialParameter.Credential = $Credential }
$versionParameter = @{}
if ($Version) { $versionParameter.Version = $Version }

if ($Using -eq 'PSResourceGet') {
    Register-PSResourceRepository -Name $repository -Uri $source -Trusted
    try {
        Install-PSResource -Name CfTasks -Repository $repository -Scope CurrentUser -Reinstall -Quiet @versionParameter @credentialParameter
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
}
else {
    if ($Version) { $versionParameter = @{ RequiredVersion = $Version } }
    Register-PSRepository -Name $repository -SourceLocation $source -InstallationPolicy Trusted @credentialParameter
    try {
        Install-Module -Name CfTasks -Repository $repository -Scope CurrentUser -Force -AllowClobber @versionParameter @credentialParameter
    }
    finally {
        Unregister-PSRepository -Name $repository
    }
}

Get-Module -Name CfTasks -ListAvailable | Sort-Object Version -Descending | Select-Object -First 1 |
    ForEach-Object { Write-Host "Installed $($_.Name) $($_.Version) in $($_.ModuleBase) (with $Using)" }
