#requires -Version 7.4
# The module as a user meets it: import, manifest, exported commands, isolation from other modules' dependencies.

BeforeAll {
    $script:ModulePath = $env:CFTASKS_MODULE_PATH
    $script:OldPolly = Join-Path $env:CFTASKS_NUGET_CACHE 'polly.core/8.4.2/lib/net8.0/Polly.Core.dll'
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Pwsh = Get-PwshPath
    $script:Fake = Start-FakeCloudFoundry
}

AfterAll {
    Stop-FakeCloudFoundry $script:Fake
}

Describe 'The CfTasks module' {
    It 'has a valid manifest for Windows PowerShell 5.1 (Desktop) and PowerShell 7.4+ (Core)' {
        $manifest = Test-ModuleManifest (Join-Path $ModulePath 'CfTasks.psd1')
        $manifest.PowerShellVersion | Should -Be ([version] '5.1')
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        # PowerShell 7 imports the Core build as the root module, with no script loader in between; the manifest
        # names the Windows PowerShell loader for the Desktop edition.
        $manifest.RootModule | Should -Be 'Core/CfTasks.dll'
        (Get-Content -LiteralPath (Join-Path $ModulePath 'CfTasks.psd1') -Raw) | Should -Match "RootModule\s*=\s*if \(\`$PSEdition -eq 'Core'\) \{ 'Core/CfTasks.dll' \} else \{ 'CfTasks.Desktop.psm1' \}"
        Join-Path $ModulePath 'CfTasks.Desktop.psm1' | Should -Exist
        (Import-Module $ModulePath -Force -PassThru).ModuleType | Should -Be 'Binary'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Desktop'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'CloudFoundry'
        # No invented home page or licence URL until the project has a public home (issue 12).
        $manifest.PrivateData.PSData.ProjectUri | Should -BeNullOrEmpty
        $manifest.PrivateData.PSData.LicenseUri | Should -BeNullOrEmpty
    }

    It 'takes its assembly versions from the manifest (one place for the version)' {
        $manifest = Test-ModuleManifest (Join-Path $ModulePath 'CfTasks.psd1')
        foreach ($file in 'Core/CfTasks.dll', 'Desktop/CfTasks.dll', 'CfTasks.Objects.dll') {
            [Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModulePath $file)).Version.ToString(3) | Should -Be $manifest.Version.ToString(3)
        }
    }

    It 'holds both builds: Core (net8.0) and Desktop (net472), each with its own dependencies' {
        foreach ($edition in 'Core', 'Desktop') {
            Join-Path $ModulePath "$edition/CfTasks.dll" | Should -Exist
            Join-Path $ModulePath "$edition/Dependencies/CfTasks.Client.dll" | Should -Exist
            Join-Path $ModulePath "$edition/Dependencies/Polly.Core.dll" | Should -Exist
            Join-Path $ModulePath "$edition/Dependencies/Refit.dll" | Should -Exist
        }
        Join-Path $ModulePath 'Desktop/Dependencies/System.Text.Json.dll' | Should -Exist # the .NET Framework build brings its own
        Join-Path $ModulePath 'Core/Dependencies/System.Text.Json.dll' | Should -Not -Exist # PowerShell 7's shared framework has it
    }

    It 'loads the Core build in PowerShell 7' {
        $text = & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; (Get-Command Start-CfTask).ImplementingType.Assembly.Location"
        $text | Should -Be (Join-Path $ModulePath 'Core/CfTasks.dll')
    }

    It 'imports in a fresh pwsh and exports the connection cmdlets' {
        $names = & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; (Get-Command -Module CfTasks).Name"
        $LASTEXITCODE | Should -Be 0
        foreach ($name in 'Connect-CfTarget', 'Get-CfTarget', 'Set-CfTarget', 'Disconnect-CfTarget') {
            $names | Should -Contain $name
        }
    }

    It 'does no network and no eager loading at import' {
        $loaded = & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name"
        $loaded | Should -Not -Contain 'CfTasks.Client'
        $loaded | Should -Not -Contain 'Refit'
        $loaded | Should -Not -Contain 'Polly.Core'
    }

    It 'does not ship System.Management.Automation' {
        Get-ChildItem -Recurse -LiteralPath $ModulePath -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'resolves the types users name in scripts' {
        $text = & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; [CfTasks.CfTaskState]::Failed; [CfTasks.CfTask].FullName"
        $text | Should -Be @('Failed', 'CfTasks.CfTask')
    }
}

Describe 'Dependency isolation' {
    BeforeAll {
        $script:Connect = "`$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); " +
            "`$t = Connect-CfTarget '$($Fake.Url)' -Credential `$c -Organization demo-org -Space demo-space; `$t.Space"
    }

    It 'works when another module loaded an older Polly.Core first' {
        Test-Path $OldPolly | Should -BeTrue
        $script = "Add-Type -Path '$OldPolly'; " +
            "[Polly.ResiliencePipeline]::Empty | Out-Null; " +
            "Import-Module '$ModulePath'; $Connect; " +
            "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Polly.Core' } | ForEach-Object Location"
        $text = & $Pwsh -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $text[0] | Should -Be 'demo-space'
        $text | Should -Contain $OldPolly
        $text | Should -Contain (Join-Path $ModulePath 'Core/Dependencies/Polly.Core.dll')
    }

    It 'leaves an older Polly.Core loadable after CfTasks loaded its own' {
        $script = "Import-Module '$ModulePath'; $Connect; " +
            "Add-Type -Path '$OldPolly'; " +
            "[Polly.ResiliencePipeline]::Empty.GetType().Assembly.Location; " +
            "(Get-CfTarget).Space"
        $text = & $Pwsh -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $text | Should -Be @('demo-space', $OldPolly, 'demo-space')
    }
}
