#requires -Version 7.4
<#
.SYNOPSIS
    Builds the module's offline help (MAML and about_CfTasks) from docs/, with parameter facts read from the cmdlets.
.DESCRIPTION
    The one source of truth for help is docs/: one page per cmdlet in docs/cmdlets/<Verb-Noun>.md (format described in
    docs/cmdlets/README.md) and docs/concepts.md for about_CfTasks. Everything the code already knows - each
    parameter's type, position, whether it is mandatory, pipeline input, aliases, wildcard support, default value and
    the parameter sets - is read from the imported module (Get-Command, the parameter attributes and a fresh instance
    of the cmdlet class), never typed by hand, so docs/ and Get-Help cannot drift apart.

    Run it in its own pwsh (build.ps1 does): it imports the module from -ModulePath.
      -OutputPath <dir>  writes <dir>/CfTasks.dll-Help.xml and <dir>/about_CfTasks.help.txt
      -Validate          writes one object per problem (missing page, undocumented or unknown parameter, fewer than
                         two examples, empty section) instead; no output means the docs are complete.
    Problems are warnings while building so a half-documented cmdlet never breaks the build; the test suite fails on them.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [string] $OutputPath,
    [switch] $Validate
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# Parameters every cmdlet gets from PowerShell itself; described here once instead of on every page.
$script:BuiltInDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run and nothing is sent to Cloud Foundry.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$script:Ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$script:SectionNames = @('Synopsis', 'Description', 'Parameters', 'Examples', 'Inputs', 'Outputs', 'Notes', 'Related links')

#region Markdown -> page model

function ConvertFrom-CmdletMarkdown {
    # Reads one cmdlet page into a model; throws with file:line on anything outside the documented structure.
    param([string] $Path)
    $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
    $page = [ordered]@{
        Name = $null; Synopsis = @(); Description = @(); Parameters = [ordered]@{}; Examples = [System.Collections.Generic.List[object]]::new()
        Inputs = [System.Collections.Generic.List[object]]::new(); Outputs = [System.Collections.Generic.List[object]]::new(); Notes = @(); Links = [System.Collections.Generic.List[object]]::new()
    }
    $section = $null
    $item = $null
    $buffer = [System.Collections.Generic.List[string]]::new()
    $inFence = $false

    $flush = {
        if ($null -eq $section) { $buffer.Clear(); return }
        $text = @($buffer)
        $buffer.Clear()
        switch ($section) {
            'Synopsis' { $page.Synopsis += $text }
            'Description' { $page.Description += $text }
            'Notes' { $page.Notes += $text }
            'Parameters' { if ($item) { $item.Text += $text } elseif ((Join-Text $text).Trim()) { throw "${Path}: text before the first '### -Name' under Parameters." } }
            'Inputs' { if ($item) { $item.Text += $text } }
            'Outputs' { if ($item) { $item.Text += $text } }
            'Examples' { if ($item) { $item.Text += $text } elseif ((Join-Text $text).Trim()) { throw "${Path}: text before the first '### Example' heading." } }
            'Related links' {
                foreach ($line in $text | Where-Object { $_.Trim() }) {
                    if ($line -match '^\s*[-*]\s+\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)\s*$') {
                        $page.Links.Add([pscustomobject]@{ Text = $Matches.text; Uri = $Matches.uri })
                    }
                    else { throw "${Path}: Related links must be list items '- [text](target)', got '$line'." }
                }
            }
        }
    }

    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^\s*```') { $inFence = -not $inFence; $buffer.Add($line); continue }
        if ($inFence) { $buffer.Add($line); continue }
        if ($line -match '^# (?<name>\S+)\s*$') {
            if ($page.Name) { throw "${Path}:$($i + 1): a second '# ' title." }
            $page.Name = $Matches.name
            continue
        }
        if ($line -match '^## (?<name>.+?)\s*$') {
            & $flush
            $name = $script:SectionNames | Where-Object { $_ -eq $Matches.name.Trim() } | Select-Object -First 1
            if (-not $name) { throw "${Path}:$($i + 1): unknown section '## $($Matches.name)'; allowed: $($script:SectionNames -join ', ')." }
            $section = $name
            $item = $null
            continue
        }
        if ($line -match '^### (?<heading>.+?)\s*$') {
            & $flush
            $heading = $Matches.heading
            switch ($section) {
                'Parameters' {
                    if ($heading -notmatch '^-(?<p>[A-Za-z]\w*)$') { throw "${Path}:$($i + 1): parameter headings are '### -Name', got '### $heading'." }
                    $item = [pscustomobject]@{ Name = $Matches.p; Text = @() }
                    $page.Parameters[$Matches.p] = $item
                }
                'Examples' {
                    if ($heading -notmatch '^Example (?<n>\d+)(:\s*(?<title>.*))?$') { throw "${Path}:$($i + 1): example headings are '### Example N: Title', got '### $heading'." }
                    $item = [pscustomobject]@{ Title = $heading; Text = @() }
                    $page.Examples.Add($item)
                }
                { $_ -in 'Inputs', 'Outputs' } {
                    $item = [pscustomobject]@{ Type = $heading; Text = @() }
                    $page[$section].Add($item)
                }
                default { throw "${Path}:$($i + 1): '### ' headings are only allowed under Parameters, Examples, Inputs and Outputs." }
            }
            continue
        }
        $buffer.Add($line)
    }
    & $flush
    if ($inFence) { throw "${Path}: a code fence is not closed." }

    foreach ($example in $page.Examples) {
        # An example is one fenced code block followed by its explanation.
        $text = @($example.Text)
        $start = 0
        while ($start -lt $text.Count -and -not $text[$start].Trim()) { $start++ }
        if ($start -ge $text.Count -or $text[$start] -notmatch '^\s*```') {
            throw "${Path}: '$($example.Title)' must start with a fenced code block."
        }
        $end = $start + 1
        while ($end -lt $text.Count -and $text[$end] -notmatch '^\s*```') { $end++ }
        $code = if ($end -gt $start + 1) { $text[($start + 1)..($end - 1)] } else { @() }
        $rest = if ($end + 1 -lt $text.Count) { $text[($end + 1)..($text.Count - 1)] } else { @() }
        $example | Add-Member -NotePropertyName Code -NotePropertyValue (($code -join "`n").TrimEnd())
        $example | Add-Member -NotePropertyName Remarks -NotePropertyValue @(ConvertTo-Paragraphs $rest)
    }
    [pscustomobject]$page
}

function Join-Text { param([string[]] $Lines) ($Lines | Where-Object { $null -ne $_ }) -join "`n" }

function ConvertTo-PlainText {
    # Inline Markdown to plain text: links keep their text, code spans and emphasis lose their markers.
    param([string] $Text)
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\([^)]*\)', '$1')
    $Text = [regex]::Replace($Text, '`([^`]+)`', '$1')
    $Text = [regex]::Replace($Text, '\*\*([^*]+)\*\*', '$1')
    $Text = [regex]::Replace($Text, '(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])', '$1')
    $Text
}

function ConvertTo-Paragraphs {
    # Markdown block text to paragraphs: soft-wrapped lines are joined; list items, tables and code blocks keep their lines.
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $kind = 'text'
    $inFence = $false
    $close = {
        if ($current.Count -gt 0) {
            $paragraphs.Add($(if ($kind -eq 'text') { ($current -join ' ') } else { $current -join "`n" }))
            $current.Clear()
        }
        $kind = 'text'
    }
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') {
            if ($inFence) { $inFence = $false; . $close } else { . $close; $inFence = $true; $kind = 'code' }
            continue
        }
        if ($inFence) { $current.Add('    ' + $line); continue }
        if (-not $line.Trim()) { . $close; continue }
        if ($line -match '^\s*([-*]|\d+\.)\s+' -or $line -match '^\s*\|') {
            if ($kind -ne 'block') { . $close; $kind = 'block' }
            $current.Add((ConvertTo-PlainText $line.TrimEnd()))
            continue
        }
        if ($kind -eq 'block' -and $line -match '^\s{2,}\S') { $current.Add((ConvertTo-PlainText $line.TrimEnd())); continue }
        if ($kind -ne 'text') { . $close }
        $current.Add((ConvertTo-PlainText $line.Trim()))
    }
    . $close
    $paragraphs.ToArray()
}

#endregion

#region Cmdlet metadata (from the code)

function Get-ParameterFacts {
    # Every fact Get-Help shows about a parameter, read from the cmdlet itself.
    param([System.Management.Automation.CommandInfo] $Command)
    $instance = $null
    if ($Command.ImplementingType) {
        try { $instance = [Activator]::CreateInstance($Command.ImplementingType) } catch { $instance = $null }
    }
    $skip = [System.Management.Automation.Cmdlet]::CommonParameters
    foreach ($parameter in $Command.Parameters.Values) {
        if ($skip -contains $parameter.Name) { continue }
        $attributes = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $byValue = [bool]($attributes | Where-Object ValueFromPipeline)
        $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
        $positions = @($attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Sort-Object -Unique)
        $default = 'None'
        if ($instance) {
            $property = $Command.ImplementingType.GetProperty($parameter.Name)
            if ($property -and $property.CanRead) {
                $value = $property.GetValue($instance)
                if ($value -is [System.Management.Automation.SwitchParameter]) { $value = $value.IsPresent }
                if ($null -ne $value -and -not ($value -is [bool] -and -not $value) -and -not ($value -is [System.Array] -and $value.Length -eq 0)) {
                    $default = [string]$value
                }
                elseif ($value -is [bool]) { $default = 'False' }
            }
        }
        [pscustomobject]@{
            Name          = $parameter.Name
            Type          = $parameter.ParameterType
            TypeName      = Get-FriendlyTypeName $parameter.ParameterType
            Mandatory     = [bool]($attributes | Where-Object Mandatory)
            Position      = if ($positions.Count) { [string]$positions[0] } else { 'named' }
            PipelineInput = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
            Aliases       = @($parameter.Aliases)
            Globbing      = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            Default       = $default
            IsSwitch      = $parameter.SwitchParameter
            Sets          = $parameter.ParameterSets
        }
    }
}

function Get-FriendlyTypeName {
    # Nullable<int> -> Int32, keeps arrays (String[]), full names for our own types (CfTasks.CfTaskState[]).
    param([type] $Type)
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $inner = [Nullable]::GetUnderlyingType($element)
    if ($inner) { $element = $inner }
    $name = if ($element.Namespace -in 'System', 'System.Management.Automation') { $element.Name } else { $element.FullName }
    if ($Type.IsArray) { "$name[]" } else { $name }
}

#endregion

#region Validation

function Test-CmdletPage {
    # One object per problem with a cmdlet's page (nothing when it is complete).
    param([System.Management.Automation.CommandInfo] $Command, $Page, [string] $PagePath)
    $problem = { param($what) [pscustomobject]@{ Cmdlet = $Command.Name; Page = $PagePath; Problem = $what } }
    if (-not $Page) { & $problem "no page $PagePath"; return }
    if ($Page.Name -ne $Command.Name) { & $problem "title is '# $($Page.Name)', expected '# $($Command.Name)'" }
    if (-not (Join-Text $Page.Synopsis).Trim()) { & $problem 'no Synopsis' }
    if (-not (Join-Text $Page.Description).Trim()) { & $problem 'no Description' }
    $facts = @(Get-ParameterFacts $Command)
    foreach ($fact in $facts) {
        if ($script:BuiltInDescriptions.ContainsKey($fact.Name)) { continue }
        $documented = $Page.Parameters[$fact.Name]
        if (-not $documented) { & $problem "parameter -$($fact.Name) is not documented" }
        elseif (-not (Join-Text $documented.Text).Trim()) { & $problem "parameter -$($fact.Name) has no description" }
    }
    foreach ($name in $Page.Parameters.Keys) {
        if (-not ($facts | Where-Object Name -eq $name)) { & $problem "documents -$name, which $($Command.Name) does not have" }
    }
    if ($Page.Examples.Count -lt 2) { & $problem "has $($Page.Examples.Count) example(s); at least 2 needed" }
    foreach ($example in $Page.Examples) {
        if (-not $example.Code) { & $problem "'$($example.Title)' has no code" }
        if (-not ($example.Remarks -join '').Trim()) { & $problem "'$($example.Title)' has no explanation" }
    }
}

#endregion

#region MAML

function Add-Paragraphs {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    foreach ($paragraph in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $script:Ns.maml, $paragraph) }
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $Writer, $Fact, [string[]] $Description, [bool] $Required, [string] $Position)
    $Writer.WriteStartElement('command', 'parameter', $script:Ns.command)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Fact.Type.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Fact.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Fact.PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $(if ($Fact.Aliases.Count) { $Fact.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $Fact.Name)
    $Writer.WriteStartElement('maml', 'description', $script:Ns.maml); Add-Paragraphs $Writer $Description; $Writer.WriteEndElement()
    if (-not $Fact.IsSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $script:Ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', $Fact.Type.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString($Fact.TypeName)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $script:Ns.dev)
    $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $(if ($Fact.IsSwitch) { 'SwitchParameter' } else { $Fact.TypeName }))
    $Writer.WriteElementString('maml', 'uri', $script:Ns.maml, '')
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $script:Ns.dev, $Fact.Default)
    $Writer.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, [System.Management.Automation.CommandInfo] $Command, $Page)
    $facts = @(Get-ParameterFacts $Command)
    $descriptionOf = {
        param($name)
        if ($Page -and $Page.Parameters[$name]) { return @(ConvertTo-Paragraphs $Page.Parameters[$name].Text) }
        if ($script:BuiltInDescriptions.ContainsKey($name)) { return , @($script:BuiltInDescriptions[$name]) }
        , @()
    }
    $Writer.WriteStartElement('command', 'command', $script:Ns.command)
    $Writer.WriteStartElement('command', 'details', $script:Ns.command)
    $Writer.WriteElementString('command', 'name', $script:Ns.command, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $script:Ns.command, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $script:Ns.command, $Command.Noun)
    $Writer.WriteStartElement('maml', 'description', $script:Ns.maml); Add-Paragraphs $Writer (ConvertTo-Paragraphs $Page.Synopsis); $Writer.WriteEndElement()
    $Writer.WriteEndElement()
    $Writer.WriteStartElement('maml', 'description', $script:Ns.maml); Add-Paragraphs $Writer (ConvertTo-Paragraphs $Page.Description); $Writer.WriteEndElement()

    # Syntax: one item per parameter set, in the set's own positions and mandatory flags.
    $Writer.WriteStartElement('command', 'syntax', $script:Ns.command)
    foreach ($set in $Command.ParameterSets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $script:Ns.command)
        $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $Command.Name)
        $inSet = $set.Parameters | Where-Object { [System.Management.Automation.Cmdlet]::CommonParameters -notcontains $_.Name } |
            Sort-Object { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } }, { -not $_.IsMandatory }
        foreach ($parameter in $inSet) {
            $fact = $facts | Where-Object Name -eq $parameter.Name
            $position = if ($parameter.Position -ge 0) { [string]$parameter.Position } else { 'named' }
            Write-MamlParameter $Writer $fact (& $descriptionOf $parameter.Name) $parameter.IsMandatory $position
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $script:Ns.command)
    foreach ($fact in $facts | Sort-Object Name) {
        Write-MamlParameter $Writer $fact (& $descriptionOf $fact.Name) $fact.Mandatory $fact.Position
    }
    $Writer.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Page.Inputs), @('returnValues', 'returnValue', $Page.Outputs))) {
        $Writer.WriteStartElement('command', $kind[0], $script:Ns.command)
        foreach ($entry in $kind[2]) {
            $Writer.WriteStartElement('command', $kind[1], $script:Ns.command)
            $Writer.WriteStartElement('dev', 'type', $script:Ns.dev)
            $Writer.WriteElementString('maml', 'name', $script:Ns.maml, (ConvertTo-PlainText $entry.Type))
            $Writer.WriteEndElement()
            $Writer.WriteStartElement('maml', 'description', $script:Ns.maml); Add-Paragraphs $Writer (ConvertTo-Paragraphs $entry.Text); $Writer.WriteEndElement()
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('maml', 'alertSet', $script:Ns.maml)
    $Writer.WriteStartElement('maml', 'alert', $script:Ns.maml); Add-Paragraphs $Writer (ConvertTo-Paragraphs $Page.Notes); $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $script:Ns.command)
    foreach ($example in $Page.Examples) {
        $Writer.WriteStartElement('command', 'example', $script:Ns.command)
        $Writer.WriteElementString('maml', 'title', $script:Ns.maml, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $script:Ns.dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $script:Ns.dev); Add-Paragraphs $Writer $example.Remarks; $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $script:Ns.command)
    foreach ($link in $Page.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $script:Ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $script:Ns.maml, $link.Text)
        # Only absolute links are useful offline (Get-Help -Online); relative ones name a related topic.
        $Writer.WriteElementString('maml', 'uri', $script:Ns.maml, $(if ($link.Uri -match '^https?://') { $link.Uri } else { '' }))
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

function Write-Maml {
    param([string] $Path, [object[]] $Entries)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($prefix in 'maml', 'command', 'dev') { $writer.WriteAttributeString('xmlns', $prefix, $null, $script:Ns[$prefix]) }
        foreach ($entry in $Entries) { Write-MamlCommand $writer $entry.Command $entry.Page }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}

#endregion

#region about_CfTasks (from docs/concepts.md)

function ConvertTo-AboutTopic {
    # Markdown -> the about_*.help.txt layout: TOPIC, SHORT DESCRIPTION, LONG DESCRIPTION; '## ' headings become
    # upper-case section titles, text is indented four spaces and wrapped at 80 columns, code blocks stay as written.
    param([string] $Markdown, [string] $Topic)
    $lines = $Markdown -split "\r?\n"
    $out = [System.Text.StringBuilder]::new()
    $null = $out.AppendLine('TOPIC').AppendLine("    $Topic").AppendLine()
    $short = $null
    $body = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $lines) {
        if ($line -match '^# ') { continue }
        if (-not $short -and $line.Trim() -and $line -notmatch '^#') { $short = $line.Trim(); continue }
        $body.Add($line)
    }
    $null = $out.AppendLine('SHORT DESCRIPTION').AppendLine("    $(ConvertTo-PlainText $short)").AppendLine().AppendLine('LONG DESCRIPTION')
    $chunk = [System.Collections.Generic.List[string]]::new()
    $emit = {
        if ($chunk.Count) {
            foreach ($paragraph in @(ConvertTo-Paragraphs $chunk)) {
                if ($paragraph -match "^    " -or $paragraph -match "`n") {
                    foreach ($l in $paragraph -split "`n") { $null = $out.AppendLine("    $l") }
                }
                else { foreach ($l in Format-Wrapped $paragraph 76) { $null = $out.AppendLine("    $l") } }
                $null = $out.AppendLine()
            }
            $chunk.Clear()
        }
    }
    foreach ($line in $body) {
        if ($line -match '^#{2,3} (?<title>.+)$') {
            $title = ConvertTo-PlainText $Matches.title
            . $emit
            $null = $out.AppendLine($(if ($line -match '^## ') { "  $($title.ToUpperInvariant())" } else { "  $title" }))
            continue
        }
        $chunk.Add($line)
    }
    . $emit
    $out.ToString().TrimEnd() + [Environment]::NewLine
}

function Format-Wrapped {
    param([string] $Text, [int] $Width)
    $line = ''
    foreach ($word in $Text -split '\s+') {
        if ($line.Length -and $line.Length + 1 + $word.Length -gt $Width) { $line; $line = $word }
        else { $line = if ($line.Length) { "$line $word" } else { $word } }
    }
    if ($line.Length) { $line }
}

#endregion

$module = Import-Module (Resolve-Path -LiteralPath $ModulePath).Path -PassThru -Force
$commands = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
$entries = foreach ($command in $commands) {
    $pagePath = Join-Path $DocsPath "cmdlets/$($command.Name).md"
    $page = if (Test-Path -LiteralPath $pagePath) { ConvertFrom-CmdletMarkdown $pagePath } else { $null }
    [pscustomobject]@{ Command = $command; Page = $page; PagePath = $pagePath }
}
$problems = @(foreach ($entry in $entries) { Test-CmdletPage $entry.Command $entry.Page $entry.PagePath })
# Pages for cmdlets the module does not export are drift too.
foreach ($file in Get-ChildItem -LiteralPath (Join-Path $DocsPath 'cmdlets') -Filter '*-*.md' -ErrorAction SilentlyContinue) {
    if (-not ($commands | Where-Object Name -eq $file.BaseName)) {
        $problems += [pscustomobject]@{ Cmdlet = $file.BaseName; Page = $file.FullName; Problem = 'page for a cmdlet the module does not export' }
    }
}

if ($Validate) { return $problems }

foreach ($problem in $problems) { Write-Warning "help: $($problem.Cmdlet): $($problem.Problem)" }
if (-not $OutputPath) { throw 'Give -OutputPath (or -Validate).' }
New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
$documented = @($entries | Where-Object Page)
Write-Maml -Path (Join-Path $OutputPath "$($module.Name).dll-Help.xml") -Entries $documented
$concepts = Join-Path $DocsPath 'concepts.md'
if (Test-Path -LiteralPath $concepts) {
    $about = ConvertTo-AboutTopic (Get-Content -LiteralPath $concepts -Raw -Encoding utf8) "about_$($module.Name)"
    Set-Content -LiteralPath (Join-Path $OutputPath "about_$($module.Name).help.txt") -Value $about -Encoding utf8 -NoNewline
}
