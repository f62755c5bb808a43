#requires -Version 7.4
# The Package task's nupkg as a publisher and a user meet it: valid manifest, installs from a repository, imports.

BeforeAll {
    $script:ModulePath = $env:CFTASKS_MODULE_PATH
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Pwsh = Get-PwshPath
    $script:Version = (Import-PowerShellDataFile (Join-Path $ModulePath 'CfTasks.psd1')).ModuleVersion
    # The same script build.ps1 -Task Package runs, on the module the test run built.
    $script:Feed = Join-Path $TestDrive 'feed'
    $script:Package = & $Pwsh -NoProfile -NonInteractive -Command "(& '$Root/build/New-ModulePackage.ps1' -ModulePath '$ModulePath' -DestinationPath '$Feed').FullName"
}

Describe 'The CfTasks package' {
    It 'is named after the manifest version' {
        $LASTEXITCODE | Should -Be 0
        $Package | Should -Be (Join-Path $Feed "CfTasks.$Version.nupkg")
        $Package | Should -Exist
    }

    It 'carries the module, both builds with their dependencies, help and release notes' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Package)
        try {
            $entries = $zip.Entries.FullName
            foreach ($file in 'CfTasks.psd1', 'CfTasks.psm1', 'CfTasks.Desktop.ps1', 'CfTasks.Objects.dll', 'CfTasks.format.ps1xml', 'en-US/CfTasks.dll-Help.xml', 'en-US/about_CfTasks.help.txt',
                'Core/CfTasks.dll', 'Core/Dependencies/CfTasks.Client.dll', 'Desktop/CfTasks.dll', 'Desktop/Dependencies/CfTasks.Client.dll') {
                $entries | Should -Contain $file
            }
            $entries | Should -Not -Contain 'System.Management.Automation.dll'
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -eq 'CfTasks.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
            $nuspec.package.metadata.version | Should -Be $Version
            $nuspec.package.metadata.releaseNotes | Should -Match 'CHANGELOG'
            $nuspec.package.metadata.tags | Should -Match 'CloudFoundry'
        }
        finally { $zip.Dispose() }
    }

    It 'installs from a local repository into a temporary folder and imports there with help' {
        $installed = Join-Path $TestDrive 'modules'
        New-Item -ItemType Directory $installed | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
`$repository = 'CfTasksTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
Register-PSResourceRepository -Name `$repository -Uri '$Feed' -Trusted
try {
    Save-PSResource -Name CfTasks -Repository `$repository -Path '$installed' -TrustRepository -Quiet
}
finally { Unregister-PSResourceRepository -Name `$repository }
`$env:PSModulePath = '$installed' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module CfTasks
`$module = Get-Module CfTasks
`$module.ModuleBase
`$module.Version.ToString()
(Get-Command -Module CfTasks).Count
(Get-Help Start-CfTask).Synopsis
Test-ModuleManifest (Join-Path `$module.ModuleBase 'CfTasks.psd1') | ForEach-Object Name
"@
        $out = & $Pwsh -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $out[0] | Should -BeLike "$installed*"
        $out[1] | Should -Be $Version
        [int] $out[2] | Should -Be (Import-PowerShellDataFile (Join-Path $ModulePath 'CfTasks.psd1')).CmdletsToExport.Count
        $out[3] | Should -Match 'Starts a task'
        $out[4] | Should -Be 'CfTasks'
    }
}

Describe 'The changelog' {
    It 'has the manifest version' {
        Get-Content (Join-Path $Root 'CHANGELOG.md') -Raw | Should -Match ("## \[" + [regex]::Escape($Version) + "\]")
    }
}
