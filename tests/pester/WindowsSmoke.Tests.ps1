#requires -Version 7.4
# The scripts that must also run in Windows PowerShell 5.1 (the Windows smoke script, the sample app's task twins, the
# pipeline samples) parse and use no PowerShell 7 syntax; and the Windows smoke script itself runs green here against
# the staged module, up to the steps any OS can run. Windows itself is confirmed only by running the smoke script
# there (docs/compatibility.md).

BeforeAll {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Smoke = Join-Path $Root 'tests/windows/Invoke-WindowsSmoke.ps1'
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    function Get-WindowsPowerShellProblem {
        # What in a script Windows PowerShell 5.1 would not run, found with the PowerShell 7 parser (which knows the
        # newer syntax, so it shows up in the AST): one string per problem. Cheap and deliberately partial: syntax,
        # the common 6+/7+ cmdlets and parameters, .NET Core-only members, and non-ASCII text without a BOM.
        param([Parameter(Mandatory)] [string] $Text, [byte[]] $Bytes)
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $tokens, [ref] $errors)
        foreach ($e in $errors) { "parse error: $($e.Message)" }

        $newTokens = @{ QuestionQuestion = '??'; QuestionQuestionEquals = '??='; QuestionDot = '?.'; QuestionLBracket = '?['; AndAnd = '&&'; OrOr = '||' }
        foreach ($token in $tokens) {
            if ($newTokens.ContainsKey([string] $token.Kind)) { "operator $($newTokens[[string] $token.Kind]) (line $($token.Extent.StartLineNumber))" }
        }
        $found = { param($type) $ast.FindAll({ param($node) $node -is $type }, $true) }
        foreach ($node in & $found ([System.Management.Automation.Language.TernaryExpressionAst])) { "ternary ?: (line $($node.Extent.StartLineNumber))" }
        foreach ($node in & $found ([System.Management.Automation.Language.NamedBlockAst])) {
            if ([string] $node.BlockKind -eq 'Clean') { "clean block (line $($node.Extent.StartLineNumber))" }
        }
        foreach ($node in & $found ([System.Management.Automation.Language.VariableExpressionAst])) {
            if ($node.VariablePath.UserPath -in 'IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle') { "`$$($node.VariablePath.UserPath) (undefined in 5.1; line $($node.Extent.StartLineNumber))" }
        }
        $coreOnlyCommands = 'Get-Error', 'Test-Json', 'Join-String', 'ConvertFrom-Markdown', 'Show-Markdown', 'Get-Uptime', 'Remove-Alias', 'Start-ThreadJob', 'ForEach-Object -Parallel'
        foreach ($node in & $found ([System.Management.Automation.Language.CommandAst])) {
            $name = $node.GetCommandName()
            $parameters = @($node.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object ParameterName)
            if ($name -in $coreOnlyCommands) { "$name (line $($node.Extent.StartLineNumber))" }
            if ($name -in 'ForEach-Object', '%', 'foreach' -and $parameters -contains 'Parallel') { "ForEach-Object -Parallel (line $($node.Extent.StartLineNumber))" }
            if ($name -eq 'Join-Path' -and ($parameters -contains 'AdditionalChildPath' -or ($node.CommandElements.Count - 1 - 2 * $parameters.Count) -gt 2)) { "Join-Path with more than two paths (line $($node.Extent.StartLineNumber))" }
            if ($name -eq 'ConvertFrom-Json' -and ($parameters -contains 'AsHashtable' -or $parameters -contains 'Depth')) { "ConvertFrom-Json -AsHashtable/-Depth (line $($node.Extent.StartLineNumber))" }
        }
        foreach ($node in & $found ([System.Management.Automation.Language.MemberExpressionAst])) {
            $member = [string] $node.Member.Extent.Text
            if ($member -in 'ArgumentList', 'ProcessPath') { ".$member (.NET Core only; line $($node.Extent.StartLineNumber))" }
            if ($node -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $member -eq 'Kill' -and $node.Arguments.Count -gt 0) { ".Kill(entireProcessTree) (.NET Core only; line $($node.Extent.StartLineNumber))" }
        }
        foreach ($node in & $found ([System.Management.Automation.Language.StringConstantExpressionAst])) {
            if ($node.Value -in 'utf8NoBOM', 'utf8BOM') { "encoding $($node.Value) (line $($node.Extent.StartLineNumber))" }
        }
        if ($ast.ScriptRequirements) {
            if ($ast.ScriptRequirements.RequiredPSVersion -gt [version] '5.1') { "#requires -Version $($ast.ScriptRequirements.RequiredPSVersion)" }
            if ($ast.ScriptRequirements.RequiredPSEditions -contains 'Core') { '#requires -PSEdition Core' }
        }
        $hasBom = $Bytes -and $Bytes.Length -ge 3 -and $Bytes[0] -eq 0xEF -and $Bytes[1] -eq 0xBB -and $Bytes[2] -eq 0xBF
        if (-not $hasBom -and $Text -match '[^\x00-\x7F]') { 'non-ASCII text without a UTF-8 BOM (5.1 reads such files in the ANSI code page)' }
    }

    function Get-FileProblem([string] $Path) {
        Get-WindowsPowerShellProblem -Text ([IO.File]::ReadAllText($Path)) -Bytes ([IO.File]::ReadAllBytes($Path))
    }
}

Describe 'Scripts that also run in Windows PowerShell 5.1' {
    It '<Name> parses and uses nothing 5.1 lacks' -ForEach @(
        @{ Name = 'tests/windows/Invoke-WindowsSmoke.ps1' }
        @{ Name = 'module/CfTasks.psd1' }
        @{ Name = 'module/CfTasks.Desktop.psm1' }
        @{ Name = 'samples/run-migration.ps1' }
        @{ Name = 'samples/install-cftasks.ps1' }
        @{ Name = 'samples/training-app/tasks/printenv.ps1' }
        @{ Name = 'samples/training-app/tasks/fail.ps1' }
        @{ Name = 'samples/training-app/tasks/long.ps1' }
        @{ Name = 'samples/training-app/tasks/default.ps1' }
    ) {
        $path = Join-Path $Root $Name
        $path | Should -Exist
        @(Get-FileProblem $path) | Should -BeNullOrEmpty
    }

    It 'the check finds <Problem>' -ForEach @(
        @{ Snippet = '$a = $b ?? 1'; Problem = 'operator ??' }
        @{ Snippet = '$a ??= 1'; Problem = 'operator ??=' }
        @{ Snippet = '${a}?.Length'; Problem = 'operator ?.' }
        @{ Snippet = '$x = $a ? 1 : 2'; Problem = 'ternary' }
        @{ Snippet = 'git status && git log'; Problem = 'operator &&' }
        @{ Snippet = 'function f { process { } clean { } }'; Problem = 'clean block' }
        @{ Snippet = 'if ($IsWindows) { }'; Problem = '$IsWindows' }
        @{ Snippet = '1..3 | ForEach-Object -Parallel { $_ }'; Problem = 'ForEach-Object -Parallel' }
        @{ Snippet = 'Join-Path a b c'; Problem = 'Join-Path with more than two paths' }
        @{ Snippet = 'Join-Path -Path a -ChildPath b -AdditionalChildPath c'; Problem = 'Join-Path with more than two paths' }
        @{ Snippet = '$s.ArgumentList.Add(1)'; Problem = '.ArgumentList' }
        @{ Snippet = '$p.Kill($true)'; Problem = '.Kill(entireProcessTree)' }
        @{ Snippet = "'x' | Out-File f -Encoding utf8NoBOM"; Problem = 'encoding utf8NoBOM' }
        @{ Snippet = '$j | ConvertFrom-Json -AsHashtable'; Problem = 'ConvertFrom-Json' }
        @{ Snippet = "#requires -Version 7.4`n1"; Problem = '#requires -Version 7.4' }
        @{ Snippet = "'caf$([char] 0xE9)'"; Problem = 'non-ASCII' }
    ) {
        (Get-WindowsPowerShellProblem -Text $Snippet) -join "`n" | Should -Match ([regex]::Escape($Problem))
    }

    It 'the check passes what 5.1 does have' {
        $fine = @'
#requires -Version 5.1
$onWindows = ($PSVersionTable.PSEdition -ne 'Core') -or [bool] (Get-Variable IsWindows -ValueOnly -ErrorAction SilentlyContinue)
$p = New-Object System.Diagnostics.ProcessStartInfo
$p.Arguments = 'a b'
Join-Path $PSScriptRoot 'child'
[pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force))
'x' | Out-File f -Encoding utf8
'@
        @(Get-WindowsPowerShellProblem -Text $fine) | Should -BeNullOrEmpty
    }
}

Describe 'The Windows smoke script run here with -SkipBuild against the staged module' {
    BeforeAll {
        $pwsh = Get-PwshPath
        $script:Output = & $pwsh -NoProfile -NonInteractive -File $Smoke -SkipBuild -ModulePath $env:CFTASKS_MODULE_PATH -FakePath $env:CFTASKS_FAKE_DLL -SkipDemo 2>&1 |
            ForEach-Object { "$_" }
        $script:ExitCode = $LASTEXITCODE
        $script:Steps = @{}
        foreach ($line in $Output) {
            if ($line -match '^(PASS|FAIL|SKIP) (\S+)') { $Steps[$Matches[2]] = $Matches[1] }
        }
    }

    It 'exits 0 and says so in its summary' {
        $ExitCode | Should -Be 0 -Because ($Output -join [Environment]::NewLine)
        $Output | Should -Contain ($Output | Where-Object { $_ -match '^smoke \(Core [\d.]+\): 11 passed, 0 failed, 2 skipped$' })
    }

    It 'passes step <Step>' -ForEach @(
        @{ Step = 'environment' }, @{ Step = 'import' }, @{ Step = 'fake' }, @{ Step = 'connect' }, @{ Step = 'start-follow' },
        @{ Step = 'list' }, @{ Step = 'logs' }, @{ Step = 'fail' }, @{ Step = 'stop' }, @{ Step = 'secrets' }, @{ Step = 'emulator' }
    ) {
        $Steps[$Step] | Should -Be 'PASS' -Because ($Output -join [Environment]::NewLine)
    }

    It 'skips the build and the demo when told to' {
        $Steps['build'] | Should -Be 'SKIP'
        $Steps['demo'] | Should -Be 'SKIP'
    }

    It 'fails, skips what depends on the failed step and exits 1 when the module is missing' {
        $missing = Join-Path $TestDrive 'no-module-here'
        $output = & (Get-PwshPath) -NoProfile -NonInteractive -File $Smoke -SkipBuild -ModulePath $missing -FakePath $env:CFTASKS_FAKE_DLL -SkipEmulator -SkipDemo 2>&1 |
            ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Be 1
        $output | Should -Contain ($output | Where-Object { $_ -match '^FAIL import .*no module at' })
        $output | Should -Contain ($output | Where-Object { $_ -match '^SKIP connect +needs fake' })
        $output | Should -Contain ($output | Where-Object { $_ -match '^smoke \(Core [\d.]+\): 1 passed, 1 failed, 11 skipped$' })
    }
}
