#requires -Version 7.4
# Offline help as a user meets it: Get-Help -Full for every exported cmdlet, generated from docs/ (one source of truth).

BeforeDiscovery {
    $script:Cmdlets = @((Test-ModuleManifest (Join-Path $env:CFTASKS_MODULE_PATH 'CfTasks.psd1')).ExportedCmdlets.Keys)
}

BeforeAll {
    $script:ModulePath = $env:CFTASKS_MODULE_PATH
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $ModulePath -Force
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'The docs/ pages (source of the help)' {
    It 'document every exported cmdlet and parameter, with at least two examples, and nothing that does not exist' {
        $problems = & (Get-PwshPath) -NoProfile -NonInteractive -Command "& '$Root/build/New-MamlHelp.ps1' -ModulePath '$ModulePath' -DocsPath '$Root/docs' -Validate | ForEach-Object { `$_.Cmdlet + ': ' + `$_.Problem }"
        $LASTEXITCODE | Should -Be 0
        $problems | Should -BeNullOrEmpty
    }

    It 'are checked: an undocumented parameter and a missing example are reported' {
        $docs = Join-Path $TestDrive 'docs'
        Copy-Item -Recurse (Join-Path $Root 'docs') $docs
        $page = Join-Path $docs 'cmdlets/Get-CfApp.md'
        $text = Get-Content $page -Raw
        $text = $text -replace '(?s)### -Target.*?(?=## Examples)', '' -replace '(?s)### Example 3.*?(?=## Inputs)', '' -replace '(?s)### Example 2.*?(?=## Inputs)', ''
        Set-Content $page $text
        $problems = & (Get-PwshPath) -NoProfile -NonInteractive -Command "& '$Root/build/New-MamlHelp.ps1' -ModulePath '$ModulePath' -DocsPath '$docs' -Validate | ForEach-Object { `$_.Cmdlet + ': ' + `$_.Problem }"
        $problems | Should -Contain 'Get-CfApp: parameter -Target is not documented'
        $problems | Should -Contain 'Get-CfApp: has 1 example(s); at least 2 needed'
    }

    It 'ship as MAML and about_CfTasks in the module' {
        Join-Path $ModulePath 'en-US/CfTasks.dll-Help.xml' | Should -Exist
        Join-Path $ModulePath 'en-US/about_CfTasks.help.txt' | Should -Exist
        { [xml](Get-Content (Join-Path $ModulePath 'en-US/CfTasks.dll-Help.xml') -Raw) } | Should -Not -Throw
    }
}

Describe 'Get-Help -Full of <_>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Name = $_
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
        $script:Parameters = @($Command.Parameters.Values | Where-Object { $Common -notcontains $_.Name })
    }

    It '<_> has a written synopsis and description (not the generated syntax)' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match ([regex]::Escape("$Name [")) # what PowerShell shows when there is no help
        ($Help.Description.Text -join ' ') | Should -Match '\w+ \w+ \w+'
    }

    It '<_> describes every parameter with the type, aliases and pipeline input of the code' {
        foreach ($parameter in $Parameters) {
            $entry = $Help.parameters.parameter | Where-Object name -eq $parameter.Name
            $entry | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) must be in the help"
            ($entry.description.Text -join ' ') | Should -Match '\w' -Because "-$($parameter.Name) needs a description"
            if (-not $parameter.SwitchParameter) {
                $typeName = $parameter.ParameterType
                if ($typeName.IsArray) { $typeName = $typeName.GetElementType() }
                $typeName = ([Nullable]::GetUnderlyingType($typeName) ?? $typeName).Name
                $entry.type.name | Should -Match ([regex]::Escape($typeName)) -Because "-$($parameter.Name) is a $typeName"
            }
            foreach ($alias in $parameter.Aliases) { $entry.aliases | Should -Match "\b$([regex]::Escape($alias))\b" }
            $byValue = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline })
            if ($byValue) { $entry.pipelineInput | Should -Match 'ByValue' } 
            $entry.defaultValue | Should -Not -BeNullOrEmpty
        }
    }

    It '<_> has at least two examples, each with code and an explanation' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Match $Name.Split('-')[1].Substring(0, 2)
            ($example.remarks.Text -join ' ') | Should -Match '\w+ \w+'
        }
    }
}

Describe 'Parameter facts in the help come from the code' {
    It 'shows defaults, positions and aliases the cmdlets declare' {
        $throttle = (Get-Help Start-CfTask -Parameter ThrottleLimit)
        $throttle.defaultValue | Should -Be '8'
        (Get-Help Start-CfTask -Parameter Memory).aliases | Should -Be 'm'
        (Get-Help Start-CfTask -Parameter AppName).position | Should -Be '0'
        (Get-Help Get-CfApp -Parameter Name).globbing | Should -Be 'true'
    }

    It 'has the about_CfTasks topic with the concepts' {
        $about = Get-Help about_CfTasks | Out-String
        foreach ($concept in 'TARGETS', 'TASKS AND THEIR STATES', 'LOGS', 'REDACTION', 'RETRIES', 'ERRORIDS') { $about | Should -Match $concept }
    }
}
