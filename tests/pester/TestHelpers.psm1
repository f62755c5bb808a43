# Helpers for the Pester suite: start the fake Cloud Foundry as a process and talk to its /_fake controls.

function Get-PwshPath {
    # The pwsh executable of this session, also under 'dotnet pwsh' (where the process itself is dotnet).
    $self = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'pwsh') { return $self }
    $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    Join-Path $PSHOME $name
}

function Start-FakeCloudFoundry {
    # -LinksFromHost: links in bodies follow the Host header, for clients that reach the fake through its test proxy.
    param([switch] $Emulator, [switch] $LinksFromHost)
    $dll = $env:CFTASKS_FAKE_DLL
    if (-not $dll -or -not (Test-Path $dll)) { throw "CFTASKS_FAKE_DLL must point at the built FakeCloudFoundry.dll (run through build.ps1 -Task Test)." }
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $startInfo.ArgumentList.Add($dll)
    if ($Emulator) { $startInfo.ArgumentList.Add('--emulator') }
    if ($LinksFromHost) { $startInfo.ArgumentList.Add('--links-from-host') }
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardInput = $true
    $startInfo.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $url = $process.StandardOutput.ReadLine()
    if (-not $url -or $url -notmatch '^http://127\.0\.0\.1:\d+') { $process.Kill($true); throw "The fake did not print its URL (got '$url')." }
    [pscustomobject]@{ Url = $url.Trim(); Process = $process }
}

function Stop-FakeCloudFoundry {
    param($Fake)
    if ($Fake -and -not $Fake.Process.HasExited) {
        $Fake.Process.StandardInput.Close()
        if (-not $Fake.Process.WaitForExit(3000)) { $Fake.Process.Kill($true) }
    }
}

function Invoke-FakeControl {
    param($Fake, [string] $Method = 'POST', [string] $Path, $Body)
    $parameters = @{ Method = $Method; Uri = "$($Fake.Url)/_fake/$Path" }
    if ($null -ne $Body) { $parameters.Body = ($Body | ConvertTo-Json -Depth 10); $parameters.ContentType = 'application/json' }
    Invoke-RestMethod @parameters
}

Export-ModuleMember -Function Get-PwshPath, Start-FakeCloudFoundry, Stop-FakeCloudFoundry, Invoke-FakeControl
