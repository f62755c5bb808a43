#requires -Version 7.4
# The CfTasks demo (filled in by the demo issue): starts the fake Cloud Foundry, connects and shows the target.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FakePath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1') -Force
$env:CFTASKS_FAKE_DLL = $FakePath
$fake = Start-FakeCloudFoundry
try {
    Import-Module $ModulePath -Force
    function Show-Step([string] $Command) {
        Write-Host "PS> $Command" -ForegroundColor Cyan
        Invoke-Expression $Command | Out-Host
    }
    $global:DemoApi = $fake.Url
    Show-Step '$cred = [pscredential]::new(''developer'', (ConvertTo-SecureString ''developer-password'' -AsPlainText -Force))'
    Show-Step 'Connect-CfTarget -ApiEndpoint $DemoApi -Credential $cred -Organization demo-org -Space demo-space'
    Show-Step 'Get-CfTarget'
}
finally {
    Stop-FakeCloudFoundry $fake
}
