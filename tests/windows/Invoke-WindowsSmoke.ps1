#requires -Version 5.1
<#
.SYNOPSIS
    Smoke test of CfTasks on a real machine: run it on Windows in both powershell.exe and pwsh.
.DESCRIPTION
    Checks what only a real Windows machine can confirm (see docs/compatibility.md): the module imports in this
    PowerShell edition, every cmdlet works against the fake Cloud Foundry over real HTTP, no secret appears in any
    stream under -Verbose and debug output, the local emulator runs the sample app's tasks with this machine's shell
    and kills a stopped task's processes, and the demo runs.

    Steps: environment, build, import, fake, connect, start-follow, list, logs, fail, stop, secrets, emulator, demo.
    Each prints PASS, FAIL or SKIP with what it saw; a summary follows; the exit code is 1 when any step failed.

    From the repository root, with only the .NET SDK installed:
        powershell.exe -NoProfile -ExecutionPolicy Bypass -File tests\windows\Invoke-WindowsSmoke.ps1
        pwsh -NoProfile -File tests/windows/Invoke-WindowsSmoke.ps1 -SkipBuild
    The first builds (dotnet tool restore; dotnet pwsh ./build.ps1); the second reuses out/CfTasks.

    This script must stay valid Windows PowerShell 5.1 (tests/pester/WindowsSmoke.Tests.ps1 checks it, and runs it
    against the staged module on Linux up to the steps any OS can run).
.PARAMETER SkipBuild
    Use the module already staged at -ModulePath instead of building.
.PARAMETER ModulePath
    The staged module folder (default: out/CfTasks of this repository).
.PARAMETER FakePath
    The built FakeCloudFoundry.dll (default: tests/FakeCloudFoundry/bin/Release/net10.0/FakeCloudFoundry.dll).
.PARAMETER SkipEmulator
    Skip the emulator step (it runs the sample app's task scripts on this machine).
.PARAMETER SkipDemo
    Skip the demo step (samples/demo.ps1 in the repository's pwsh, as 'build.ps1 -Task Demo' runs it).
#>
[CmdletBinding()]
param(
    [switch] $SkipBuild,
    [string] $ModulePath,
    [string] $FakePath,
    [switch] $SkipEmulator,
    [switch] $SkipDemo
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$Root = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
if (-not $ModulePath) { $ModulePath = Join-Path $Root 'out/CfTasks' }
if (-not $FakePath) { $FakePath = Join-Path $Root 'tests/FakeCloudFoundry/bin/Release/net10.0/FakeCloudFoundry.dll' }
$script:Results = New-Object System.Collections.Generic.List[object]
$script:Fakes = New-Object System.Collections.Generic.List[object]
$Password = 'developer-password'
$ClientSecret = 'ci-client-secret'

# ---- helpers -------------------------------------------------------------------------------------------------------

function Test-OnWindows {
    # $IsWindows does not exist in Windows PowerShell 5.1 (which only runs on Windows).
    if ($PSVersionTable.PSEdition -ne 'Core') { return $true }
    return [bool] (Get-Variable -Name IsWindows -ValueOnly -ErrorAction SilentlyContinue)
}

function Invoke-SmokeStep {
    # Runs one step; a thrown error or a failed check is FAIL. -Needs names earlier steps that must have passed.
    param([string] $Name, [scriptblock] $Body, [string[]] $Needs = @(), [string] $SkipReason)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $missing = @($Needs | Where-Object { -not (Test-StepPassed $_) })
    if ($SkipReason) {
        Add-Result $Name 'SKIP' $SkipReason $watch
        return
    }
    if ($missing.Count -gt 0) {
        Add-Result $Name 'SKIP' ('needs ' + ($missing -join ', ')) $watch
        return
    }
    try {
        $detail = & $Body
        Add-Result $Name 'PASS' ([string] $detail) $watch
    }
    catch {
        Add-Result $Name 'FAIL' ($_.Exception.Message + ' (' + $_.InvocationInfo.PositionMessage.Split("`n")[0].Trim() + ')') $watch
    }
}

function Add-Result {
    param([string] $Name, [string] $Result, [string] $Detail, $Watch)
    $entry = New-Object psobject -Property ([ordered] @{ Step = $Name; Result = $Result; Seconds = [math]::Round($Watch.Elapsed.TotalSeconds, 1); Detail = $Detail })
    $script:Results.Add($entry)
    $color = @{ PASS = 'Green'; FAIL = 'Red'; SKIP = 'Yellow' }[$Result]
    Write-Host ('{0} {1,-13} {2}' -f $Result, $Name, $Detail) -ForegroundColor $color
}

function Test-StepPassed([string] $Name) {
    return @($script:Results | Where-Object { $_.Step -eq $Name -and $_.Result -eq 'PASS' }).Count -gt 0
}

function Assert-That {
    param([bool] $Condition, [string] $Message)
    if (-not $Condition) { throw $Message }
}

function ConvertTo-ArgumentString {
    # One command line from arguments, quoted as the Windows C runtime (and .NET on any OS) splits them again.
    param([string[]] $Arguments)
    $quoted = foreach ($argument in $Arguments) {
        if ($argument -and $argument -notmatch '[\s"]') { $argument; continue }
        $builder = New-Object System.Text.StringBuilder
        [void] $builder.Append('"')
        $backslashes = 0
        $backslash = [char] '\'
        foreach ($c in $argument.ToCharArray()) {
            if ($c -eq $backslash) { $backslashes++; continue }
            if ($c -eq '"') { [void] $builder.Append($backslash, 2 * $backslashes + 1) }
            elseif ($backslashes -gt 0) { [void] $builder.Append($backslash, $backslashes) }
            $backslashes = 0
            [void] $builder.Append($c)
        }
        [void] $builder.Append($backslash, 2 * $backslashes)
        [void] $builder.Append('"')
        $builder.ToString()
    }
    return ($quoted -join ' ')
}

function Get-Dotnet {
    $command = Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $command) { throw 'dotnet is not on PATH: install the .NET SDK.' }
    return $command.Source
}

function New-StartInfo {
    # A process start with redirected output (ProcessStartInfo.ArgumentList does not exist in Windows PowerShell).
    param([string] $FilePath, [string[]] $Arguments)
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = $FilePath
    $start.Arguments = ConvertTo-ArgumentString $Arguments
    $start.WorkingDirectory = $Root
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    return $start
}

function Invoke-Native {
    # Runs a program to the end without PowerShell touching its streams (stderr is not an error record in 5.1 this way).
    param([string] $FilePath, [string[]] $Arguments)
    $process = [System.Diagnostics.Process]::Start((New-StartInfo $FilePath $Arguments))
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    New-Object psobject -Property @{ ExitCode = $process.ExitCode; Output = $stdout + $stderr.Result }
}

function Start-Fake {
    # Starts the fake (dotnet <dll> [--emulator]); it prints its URL as the first line and stops when stdin closes.
    param([switch] $Emulator)
    $arguments = @($FakePath)
    if ($Emulator) { $arguments += '--emulator' }
    $start = New-StartInfo (Get-Dotnet) $arguments
    $start.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $fake = New-Object psobject -Property @{ Process = $process; Url = $null; Banner = '' }
    $script:Fakes.Add($fake)
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait(60000) -or -not $line.Result -or $line.Result -notmatch '^http://127\.0\.0\.1:\d+') {
        throw "the fake did not print its URL within 60 s (exit code: $(if ($process.HasExited) { $process.ExitCode } else { 'running' }))"
    }
    $fake.Url = $line.Result.Trim()
    if ($Emulator) {
        $banner = $process.StandardError.ReadLineAsync()
        if ($banner.Wait(10000)) { $fake.Banner = [string] $banner.Result }
    }
    $fake | Add-Member -NotePropertyName Drain -NotePropertyValue $process.StandardError.ReadToEndAsync()
    return $fake
}

function Stop-Fake($Fake) {
    if (-not $Fake -or $Fake.Process.HasExited) { return }
    $Fake.Process.StandardInput.Close()
    if (-not $Fake.Process.WaitForExit(10000)) { $Fake.Process.Kill() }
}

function New-Credential([string] $User, [string] $Secret) {
    return New-Object System.Management.Automation.PSCredential ($User, (ConvertTo-SecureString $Secret -AsPlainText -Force))
}

function Connect-Fake($Fake) {
    Connect-CfTarget -ApiEndpoint $Fake.Url -Credential (New-Credential 'developer' $Password) -Organization demo-org -Space demo-space
}

function Wait-Until {
    param([scriptblock] $Condition, [int] $Seconds, [string] $What)
    $deadline = (Get-Date).AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ((Get-Date) -gt $deadline) { throw "timed out after $Seconds s waiting until $What" }
        Start-Sleep -Milliseconds 250
    }
}

# ---- steps ---------------------------------------------------------------------------------------------------------

Write-Host "CfTasks smoke test in $($PSVersionTable.PSEdition) PowerShell $($PSVersionTable.PSVersion)" -ForegroundColor Cyan
try {
    Invoke-SmokeStep 'environment' {
        $os = [Environment]::OSVersion.VersionString
        $clr = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        "$($PSVersionTable.PSEdition) $($PSVersionTable.PSVersion) on $os, $clr, 64-bit process: $([Environment]::Is64BitProcess), Windows: $(Test-OnWindows)"
    }

    $buildSkip = if ($SkipBuild) { "-SkipBuild: using $ModulePath" } else { $null }
    Invoke-SmokeStep 'build' -SkipReason $buildSkip {
        $dotnet = Get-Dotnet
        $restore = Invoke-Native $dotnet @('tool', 'restore')
        Assert-That ($restore.ExitCode -eq 0) "dotnet tool restore failed: $($restore.Output)"
        $build = Invoke-Native $dotnet @('pwsh', '-NoProfile', '-File', (Join-Path $Root 'build.ps1'))
        Assert-That ($build.ExitCode -eq 0) "build.ps1 failed: $($build.Output)"
        "staged $ModulePath"
    }

    Invoke-SmokeStep 'import' {
        Assert-That (Test-Path -LiteralPath (Join-Path $ModulePath 'CfTasks.psd1')) "no module at $ModulePath (build first, or drop -SkipBuild)"
        Import-Module $ModulePath -Force
        $commands = @(Get-Command -Module CfTasks)
        Assert-That ($commands.Count -ge 9) "only $($commands.Count) commands exported"
        Assert-That ([CfTasks.CfTaskState]::Failed -eq 'Failed') 'the CfTaskState type is not usable'
        # The cmdlets come from the edition's own build (Core/ or Desktop/); the user types are shared from the module folder.
        $assembly = (Get-Command Get-CfTask).ImplementingType.Assembly.Location
        $editionFolder = Join-Path $ModulePath $PSVersionTable.PSEdition
        Assert-That (Test-Path -LiteralPath $editionFolder) "the module has no $($PSVersionTable.PSEdition) build folder"
        Assert-That ($assembly.StartsWith((Resolve-Path -LiteralPath $editionFolder).Path, [StringComparison]::OrdinalIgnoreCase)) "loaded $assembly, not the $($PSVersionTable.PSEdition) build"
        "$($commands.Count) commands; cmdlets from $assembly"
    }

    $fake = $null
    Invoke-SmokeStep 'fake' -Needs 'import' {
        Assert-That (Test-Path -LiteralPath $FakePath) "no fake at $FakePath"
        $script:fake = Start-Fake
        "listening at $($script:fake.Url)"
    }

    Invoke-SmokeStep 'connect' -Needs 'fake' {
        $target = Connect-Fake $fake
        Assert-That ($target.Organization -eq 'demo-org' -and $target.Space -eq 'demo-space') "targeted $($target.Organization)/$($target.Space)"
        "as developer in $($target.Organization)/$($target.Space)"
    }

    Invoke-SmokeStep 'start-follow' -Needs 'connect' {
        $all = @(Start-CfTask training-app -Name smoke -Command 'echo hello from the smoke test; echo second line' -Wait -Follow 6>&1)
        $task = @($all | Where-Object { $_ -is [CfTasks.CfTask] })
        $followed = ($all | Where-Object { $_ -isnot [CfTasks.CfTask] } | Out-String)
        Assert-That ($task.Count -eq 1 -and $task[0].State -eq [CfTasks.CfTaskState]::Succeeded) "the task ended $($task | ForEach-Object State)"
        Assert-That ($followed -match 'OUT hello from the smoke test') "-Follow showed: $followed"
        "task $($task[0].SequenceId) Succeeded; -Follow showed its log"
    }

    Invoke-SmokeStep 'list' -Needs 'start-follow' {
        $tasks = @(Get-CfTask training-app)
        $smoke = @($tasks | Where-Object Name -eq 'smoke')
        Assert-That ($smoke.Count -eq 1 -and $smoke[0].State -eq 'Succeeded') "Get-CfTask listed $($tasks.Count) tasks, smoke: $($smoke | ForEach-Object State)"
        $csv = $tasks | ConvertTo-Csv -NoTypeInformation
        Assert-That (($csv | Select-Object -First 1) -match '"Name"') 'the tasks do not convert to CSV'
        "$($tasks.Count) task(s), CSV ok"
    }

    Invoke-SmokeStep 'logs' -Needs 'start-follow' {
        $entries = @(Get-CfTaskLog training-app smoke)
        $messages = @($entries | ForEach-Object Message)
        Assert-That ($messages -contains 'hello from the smoke test') "log: $($messages -join ' | ')"
        Assert-That ($messages -contains 'Exit status 0') "log: $($messages -join ' | ')"
        $raw = @(Get-CfTaskLog training-app smoke -Raw)
        Assert-That (($raw -join "`n") -match '\[APP/TASK/smoke/0\] OUT hello from the smoke test') "raw: $($raw -join ' | ')"
        "$($entries.Count) entries"
    }

    Invoke-SmokeStep 'fail' -Needs 'connect' {
        $caught = $null
        try { Start-CfTask training-app -Name smoke-fail -Command 'echo failing; exit 3' -Wait | Out-Null }
        catch { $caught = $_ }
        Assert-That ($null -ne $caught) 'a failing task under -Wait raised no error'
        Assert-That ($caught.FullyQualifiedErrorId -like 'CfTaskFailed*') "error id $($caught.FullyQualifiedErrorId)"
        Assert-That ($caught.Exception.Message -match 'Exited with status 3') $caught.Exception.Message
        $caught.FullyQualifiedErrorId
    }

    Invoke-SmokeStep 'stop' -Needs 'connect' {
        $long = Start-CfTask training-app -Name smoke-long -Command 'sleep 600'
        $stopped = $long | Stop-CfTask -Wait -PassThru -Confirm:$false
        Assert-That ($stopped.State -eq 'Failed' -and $stopped.FailureReason -eq 'task was cancelled') "ended $($stopped.State): $($stopped.FailureReason)"
        "task $($stopped.SequenceId): $($stopped.FailureReason)"
    }

    Invoke-SmokeStep 'secrets' -Needs 'connect' {
        # Windows PowerShell's -Debug asks before every debug message (Inquire); 7.x continues. The preference variable
        # shows the same messages in both without a prompt.
        $debugSwitch = @{}
        if ($PSVersionTable.PSEdition -eq 'Core') { $debugSwitch.Debug = $true }
        $transcript = Join-Path ([IO.Path]::GetTempPath()) ('cftasks-smoke-' + [guid]::NewGuid().ToString('n') + '.txt')
        $Error.Clear()
        Start-Transcript -LiteralPath $transcript -Force | Out-Null
        try {
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            $InformationPreference = 'Continue'
            $all = & {
                Connect-CfTarget -ApiEndpoint $fake.Url -ClientCredential (New-Credential 'cftasks-ci' $ClientSecret) -Organization demo-org -Space demo-space -Verbose @debugSwitch | Format-List | Out-String
                Connect-CfTarget -ApiEndpoint $fake.Url -Credential (New-Credential 'developer' $Password) -Organization demo-org -Space demo-space -Verbose @debugSwitch | Format-List | Out-String
                try { Connect-CfTarget -ApiEndpoint $fake.Url -Credential (New-Credential 'developer' 'Wr0ng-Sm0ke-P@ss') -Verbose @debugSwitch } catch { $_ | Out-String }
                Connect-Fake $fake | Out-Null
                Invoke-RestMethod -Method Post -Uri "$($fake.Url)/_fake/tokens/expire" | Out-Null # the next call renews with the refresh token
                Start-CfTask training-app -Name smoke-secret -Command 'echo hi' -Follow -Verbose @debugSwitch | Out-String
                Get-CfTaskLog training-app smoke-secret -Verbose @debugSwitch | Out-String
                Get-CfTask training-app -Verbose @debugSwitch | Format-List | Out-String
                Start-CfTask training-app -Name smoke-secret-long -Command 'sleep 600' -Verbose @debugSwitch | Stop-CfTask -Wait -PassThru -Confirm:$false -Verbose @debugSwitch | Out-String
                Get-CfTarget | Format-List * | Out-String
            } *>&1 | Out-String
        }
        finally {
            $DebugPreference = 'SilentlyContinue'
            $VerbosePreference = 'SilentlyContinue'
            $InformationPreference = 'SilentlyContinue'
            Stop-Transcript | Out-Null
        }
        $text = $all + (Get-Content -LiteralPath $transcript -Raw) + ($Error | Out-String)
        Remove-Item -LiteralPath $transcript -Force
        Assert-That ($text -match 'oauth/token') 'the -Verbose output traced no token request: nothing was checked'
        foreach ($secret in $Password, $ClientSecret, 'Wr0ng-Sm0ke-P@ss') {
            Assert-That ($text -notmatch [regex]::Escape($secret)) "a password or client secret appeared in the output"
        }
        Assert-That ($text -notmatch 'eyJ[A-Za-z0-9_-]{10,}\.') 'an access token (JWT) appeared in the output'
        Assert-That ($text -notmatch '\b[0-9a-f]{32}-r\b') 'a refresh token appeared in the output'
        Assert-That ($text -notmatch '(?i)bearer [A-Za-z0-9]') 'an Authorization header value appeared in the output'
        "$($text.Length) characters of output, transcript and errors checked"
    }

    $emulatorSkip = if ($SkipEmulator) { '-SkipEmulator' } else { $null }
    Invoke-SmokeStep 'emulator' -Needs 'import' -SkipReason $emulatorSkip {
        $emulator = Start-Fake -Emulator
        Assert-That ($emulator.Banner -match 'RUN ON THIS MACHINE') "banner: $($emulator.Banner)"
        $shell = [regex]::Match($emulator.Banner, '\(([^,]+),').Groups[1].Value
        Connect-Fake $emulator | Out-Null
        $printenv = Start-CfTask training-app -Name printenv -Command 'tasks/printenv.sh' -Memory 8M -Disk 64M -Wait
        $lines = @(Get-CfTaskLog training-app printenv | ForEach-Object Message)
        Assert-That ($printenv.State -eq 'Succeeded') "printenv ended $($printenv.State): $($printenv.FailureReason) $($lines -join ' | ')"
        Assert-That ($lines -contains 'MEMORY_LIMIT=8m') "printenv printed: $($lines -join ' | ')"
        Assert-That (@($lines | Where-Object { $_ -like 'VCAP_SERVICES={*' }).Count -eq 1) 'no VCAP_SERVICES line'
        $failed = $null
        try { Start-CfTask training-app -Name check-schema -Command 'tasks/fail.sh' -Wait | Out-Null } catch { $failed = $_ }
        Assert-That ($null -ne $failed -and $failed.Exception.Message -match 'Exited with status 3') "fail.sh: $failed"
        $long = Start-CfTask training-app -Name long-report -Command 'tasks/long.sh'
        Wait-Until { @(Get-CfTaskLog training-app long-report | Where-Object Message -eq 'working... 2s').Count -gt 0 } 60 'long.sh printed two lines'
        $stopped = $long | Stop-CfTask -Wait -PassThru -Confirm:$false
        Assert-That ($stopped.FailureReason -eq 'task was cancelled') "long.sh ended: $($stopped.FailureReason)"
        # The task's folder goes once its processes are gone (on Windows a live process would keep it in use).
        $folders = Join-Path ([IO.Path]::GetTempPath()) ('cftasks-task-' + $long.Guid.Substring(0, 8) + '-*')
        Wait-Until { -not (Test-Path -Path $folders) } 15 'the stopped task''s folder is removed'
        Disconnect-CfTarget
        Stop-Fake $emulator
        "shell: $shell; printenv, fail.sh (3) and a stopped long.sh behaved as on Cloud Foundry"
    }

    $demoSkip = if ($SkipDemo) { '-SkipDemo' } else { $null }
    Invoke-SmokeStep 'demo' -Needs 'import' -SkipReason $demoSkip {
        $demo = Invoke-Native (Get-Dotnet) @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'samples/demo.ps1'), '-ModulePath', $ModulePath, '-FakePath', $FakePath)
        Assert-That ($demo.ExitCode -eq 0) "samples/demo.ps1 exited $($demo.ExitCode): $($demo.Output)"
        Assert-That ($demo.Output -match 'Demo complete') 'the demo did not complete'
        'samples/demo.ps1 ran green'
    }
}
finally {
    if (Get-Module CfTasks) { Get-CfTarget -ListAvailable | Disconnect-CfTarget }
    foreach ($started in $script:Fakes) { Stop-Fake $started }
}

$failed = @($script:Results | Where-Object Result -eq 'FAIL')
$passed = @($script:Results | Where-Object Result -eq 'PASS')
$skipped = @($script:Results | Where-Object Result -eq 'SKIP')
Write-Host ''
$script:Results | Format-Table -AutoSize Step, Result, Seconds | Out-String | Write-Host
Write-Host ("smoke ({0} {1}): {2} passed, {3} failed, {4} skipped" -f $PSVersionTable.PSEdition, $PSVersionTable.PSVersion, $passed.Count, $failed.Count, $skipped.Count)
if ($failed.Count -gt 0) { exit 1 }
exit 0
