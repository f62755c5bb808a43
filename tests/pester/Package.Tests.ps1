#requires -Version 7.4
# The Package task's nupkg as a publisher and a user meet it: valid manifest and contents, installs by name from a
# registered folder repository (PSResourceGet, PowerShellGet 2, samples/install-cftasks.ps1) and imports by name.

BeforeAll {
    $script:ModulePath = $env:CFTASKS_MODULE_PATH
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Pwsh = Get-PwshPath
    $script:Version = (Test-ModuleManifest (Join-Path $ModulePath 'CfTasks.psd1')).Version.ToString()
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
            foreach ($file in 'CfTasks.psd1', 'CfTasks.Desktop.psm1', 'CfTasks.Objects.dll', 'CfTasks.format.ps1xml', 'en-US/CfTasks.dll-Help.xml', 'en-US/about_CfTasks.help.txt',
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
}

Describe 'Installing the package by name before any gallery hosts it' -Skip:$IsWindows {
    # Each install runs in a child pwsh whose HOME is a fresh folder: on Linux and macOS that is where PSResourceGet
    # keeps its repository list (LocalApplicationData), PowerShellGet 2 its own (~/.cache) and both the CurrentUser
    # scope (~/.local/share/powershell/Modules), so nothing reaches the real user's lists or modules. (On Windows these
    # follow the user profile, not HOME: there the tests would touch the real ones, so they do not run.) Repository
    # names are unique and unregistered again; AfterAll checks the real list is untouched.
    BeforeAll {
        $script:RealStore = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        $script:RealStoreBefore = if (Test-Path -LiteralPath $RealStore) { Get-Content -LiteralPath $RealStore -Raw } else { $null }
        $script:Repository = 'CfTasksTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)

        function Invoke-IsolatedPwsh {
            # Runs a script in a child pwsh with its own HOME; returns its output lines and exit code.
            param([string] $HomeName, [string] $Script)
            $folder = New-Item -ItemType Directory -Force -Path (Join-Path $TestDrive $HomeName)
            $start = [Diagnostics.ProcessStartInfo]::new($Pwsh)
            foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'`n$Script") { $start.ArgumentList.Add($argument) }
            $start.WorkingDirectory = $folder.FullName
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.Environment['HOME'] = $folder.FullName
            foreach ($name in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'PSModulePath') { $start.Environment.Remove($name) | Out-Null }
            $process = [Diagnostics.Process]::Start($start)
            $stderr = $process.StandardError.ReadToEndAsync()
            $stdout = $process.StandardOutput.ReadToEnd()
            $process.WaitForExit()
            [pscustomobject]@{ ExitCode = $process.ExitCode; Lines = @($stdout -split '\r?\n' | Where-Object { $_ }); Text = $stdout + $stderr.Result; Home = $folder.FullName }
        }

        # What each install checks once the module is imported by name from where it was installed.
        $script:ImportByName = @'
$module = Get-Module CfTasks -ListAvailable | Select-Object -First 1
$env:PSModulePath = (Split-Path $module.ModuleBase -Parent | Split-Path -Parent) + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
Import-Module CfTasks
"base=" + (Get-Module CfTasks).ModuleBase
"version=" + (Get-Module CfTasks).Version
"commands=" + (Get-Command -Module CfTasks).Count
"state=" + [CfTasks.CfTaskState]::Failed
"targets=" + @(Get-CfTarget -ListAvailable).Count
"help=" + (Get-Help Start-CfTask).Synopsis
'@
        function Assert-ImportedByName($Run) {
            $Run.ExitCode | Should -Be 0 -Because $Run.Text
            $values = @{}
            foreach ($line in $Run.Lines) { if ($line -match '^(\w+)=(.*)$') { $values[$Matches[1]] = $Matches[2] } }
            $values.base | Should -BeLike (Join-Path $Run.Home '.local/share/powershell/Modules/CfTasks/*')
            $values.version | Should -Be $Version
            [int] $values.commands | Should -Be (Test-ModuleManifest (Join-Path $ModulePath 'CfTasks.psd1')).ExportedCmdlets.Count
            $values.state | Should -Be 'Failed'
            $values.targets | Should -Be '0'
            $values.help | Should -Match 'Starts a task'
        }
    }

    AfterAll {
        $after = if (Test-Path -LiteralPath $RealStore) { Get-Content -LiteralPath $RealStore -Raw } else { $null }
        $after | Should -Be $RealStoreBefore -Because "the real repository list ($RealStore) must not change"
    }

    It 'installs with Install-PSResource from a folder registered with Register-PSResourceRepository, and imports by name' {
        $run = Invoke-IsolatedPwsh 'psresourceget' @"
Register-PSResourceRepository -Name $Repository -Uri '$Feed' -Trusted
try { Install-PSResource -Name CfTasks -Repository $Repository -Scope CurrentUser -Quiet }
finally { Unregister-PSResourceRepository -Name $Repository }
"left=" + ((Get-PSResourceRepository).Name -join ',')
$ImportByName
"@
        Assert-ImportedByName $run
        $run.Lines | Should -Contain 'left=PSGallery'
    }

    It 'installs with samples/install-cftasks.ps1 from the folder (PSResourceGet), leaving no repository behind' {
        $run = Invoke-IsolatedPwsh 'sample-psresourceget' @"
& '$Root/samples/install-cftasks.ps1' -Path '$Feed'
"left=" + ((Get-PSResourceRepository).Name -join ',')
$ImportByName
"@
        Assert-ImportedByName $run
        $run.Lines | Should -Contain 'left=PSGallery'
        $run.Text | Should -Match "Installed CfTasks $([regex]::Escape($Version)) in .* \(with PSResourceGet\)"
    }

    It 'installs with samples/install-cftasks.ps1 -Using PowerShellGet (Install-Module, as Windows PowerShell 5.1 without PSResourceGet does)' {
        $run = Invoke-IsolatedPwsh 'sample-powershellget' @"
& '$Root/samples/install-cftasks.ps1' -Path '$Feed' -Using PowerShellGet
"left=" + ((Get-PSRepository).Name -join ',')
$ImportByName
"@
        Assert-ImportedByName $run
        ($run.Lines -match '^left=') | Should -Not -BeNullOrEmpty
        $run.Lines -match '^left=.*CfTasks' | Should -BeNullOrEmpty
        $run.Text | Should -Match 'with PowerShellGet'
    }
}

Describe 'The changelog' {
    It 'has the manifest version' {
        Get-Content (Join-Path $Root 'CHANGELOG.md') -Raw | Should -Match ("## \[" + [regex]::Escape($Version) + "\]")
    }
}
