#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and cleans CfTasks.
.DESCRIPTION
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Build|Test|Demo|Clean|Package|Bench
    Build stages an importable module at out/CfTasks (Import-Module ./out/CfTasks).
    Test builds, runs the xunit suites and the Pester suite on .NET, then the Desktop (net472) suites (under Mono where
    there is no Windows: one line 'desktop (net472): ...', or why they did not run), and ends with one line
    'total: N passed, M failed, K skipped'; the exit code is non-zero when anything failed.
    Output is quiet by default and loud on failure (the full log of a failing step is printed).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Clean', 'Package', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'CfTasks'
$Logs = Join-Path $Out 'logs'
$PesterVersion = '5.7.1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Invoke-Step {
    # Runs an external command quietly; on failure prints its whole output and stops.
    param([string] $Name, [string] $LogName, [scriptblock] $Command)
    New-Item -ItemType Directory -Force -Path $Logs | Out-Null
    $log = Join-Path $Logs "$LogName.log"
    $started = [Diagnostics.Stopwatch]::StartNew()
    & $Command *> $log
    $code = $LASTEXITCODE
    if ($code -ne 0) {
        Get-Content -LiteralPath $log | Write-Host
        throw "$Name failed (exit code $code). Log: $log"
    }
    Write-Host ("{0} ({1:0.0} s)" -f $Name, $started.Elapsed.TotalSeconds)
}

function Invoke-Build {
    Invoke-Step 'build' 'build' { dotnet build (Join-Path $Root 'CfTasks.sln') -c $Configuration -nologo -v quiet -clp:ErrorsOnly }
    Publish-Module
}

function Publish-Module {
    # Stages out/CfTasks, one folder for both editions (docs/architecture.md, "Two builds, one module folder"):
    #   CfTasks.psd1/.psm1, format and type data, help, CfTasks.Objects.dll (netstandard2.0, shared by both builds)
    #   Core/     CfTasks.dll (net8.0)  + Dependencies/ (the client and Refit, Polly ...: the module's AssemblyLoadContext)
    #   Desktop/  CfTasks.dll (net472)  + Dependencies/ (the same for .NET Framework: the module's AssemblyResolve handler)
    if (Test-Path $ModuleOut) { Remove-Item -Recurse -Force $ModuleOut }
    New-Item -ItemType Directory -Force -Path $ModuleOut | Out-Null
    $objects = Join-Path $Root "src/CfTasks.Objects/bin/$Configuration/netstandard2.0"
    foreach ($file in 'CfTasks.Objects.dll', 'CfTasks.Objects.pdb', 'CfTasks.Objects.xml') { Copy-Item -LiteralPath (Join-Path $objects $file) -Destination $ModuleOut }
    $inEditionFolder = @('CfTasks.dll', 'CfTasks.pdb')
    $neverShipped = @('System.Management.Automation.dll', 'CfTasks.deps.json', 'CfTasks.runtimeconfig.json', 'CfTasks.Objects.dll', 'CfTasks.Objects.pdb', 'CfTasks.Objects.xml')
    foreach ($edition in @{ Folder = 'Core'; Framework = 'net8.0' }, @{ Folder = 'Desktop'; Framework = 'net472' }) {
        $bin = Join-Path $Root "src/CfTasks/bin/$Configuration/$($edition.Framework)"
        $editionOut = Join-Path $ModuleOut $edition.Folder
        $deps = New-Item -ItemType Directory -Force -Path (Join-Path $editionOut 'Dependencies')
        foreach ($file in Get-ChildItem -LiteralPath $bin -File) {
            if ($neverShipped -contains $file.Name) { continue }
            $destination = if ($inEditionFolder -contains $file.Name) { $editionOut } else { $deps.FullName }
            Copy-Item -LiteralPath $file.FullName -Destination $destination
        }
    }
    Copy-Item -Path (Join-Path $Root 'module/*') -Destination $ModuleOut -Recurse
    Publish-Help
}

function Publish-Help {
    # Offline help (en-US/CfTasks.dll-Help.xml, about_CfTasks.help.txt) from docs/, with parameter facts read from the
    # staged module; in a child pwsh so this session never loads the module. See docs/cmdlets/README.md.
    $pwsh = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'pwsh') { [Environment]::ProcessPath } else { Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh') }
    $generator = Join-Path $Root 'build/New-MamlHelp.ps1'
    Invoke-Step 'help' 'help' { & $pwsh -NoProfile -NonInteractive -File $generator -ModulePath $ModuleOut -DocsPath (Join-Path $Root 'docs') -OutputPath (Join-Path $ModuleOut 'en-US') }
}

function Get-PesterModulePath {
    # Restores the Pester module (and the files the Pester suite needs) from NuGet; sets CFTASKS_NUGET_CACHE.
    $project = Join-Path $Root 'tests/pester/TestPackages.proj'
    Invoke-Step 'restore Pester' 'pester-restore' { dotnet restore $project -nologo -v quiet }
    $cache = ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $env:CFTASKS_NUGET_CACHE = $cache
    $path = Join-Path $cache "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $path)) { throw "Pester $PesterVersion was restored but $path is missing." }
    $path
}

function Read-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    # xunit's skipped tests are results with outcome NotExecuted; the summary counters leave them out.
    $notExecuted = @($trx.SelectNodes("//*[local-name()='UnitTestResult'][@outcome='NotExecuted']")).Count
    [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [Math]::Max([int] $counters.notExecuted, $notExecuted) + [int] $counters.inconclusive
    }
}

function Get-TestTargetFrameworks {
    # The target frameworks a test project builds for (TargetFramework or TargetFrameworks).
    param([IO.FileInfo] $Project)
    [xml] $xml = Get-Content -LiteralPath $Project.FullName -Raw
    $values = $xml.SelectNodes('/Project/PropertyGroup/TargetFramework | /Project/PropertyGroup/TargetFrameworks') | ForEach-Object InnerText
    @($values -split ';' | Where-Object { $_ })
}

function Invoke-TestProject {
    # Runs one test project for one target framework; returns its counts (null when it produced no results).
    param([IO.FileInfo] $Project, [string] $Framework, [string] $Results)
    $name = "$($Project.BaseName).$Framework"
    $trx = Join-Path $Results "$name.trx"
    $log = Join-Path $Logs "test-$name.log"
    dotnet test $Project.FullName -c $Configuration -f $Framework --no-build --nologo --logger "trx;LogFileName=$trx" *> $log
    $code = $LASTEXITCODE
    if (-not (Test-Path $trx)) {
        Get-Content -LiteralPath $log | Write-Host
        return $null
    }
    $counts = Read-TrxCounts $trx
    if ($counts.Failed -gt 0 -or $code -ne 0) {
        Get-Content -LiteralPath $log | Select-String -Pattern '^\s*(Failed|Error Message|Stack Trace|\s+at )' -Context 0, 6 | Out-String | Write-Host
        if ($counts.Failed -eq 0) { $counts.Failed = 1 }
    }
    $counts
}

function Get-DesktopRunner {
    # How the Desktop (net472) suite can run here: natively on Windows, under Mono elsewhere; or why it cannot.
    if ($IsWindows) { return @{ Runs = $true; How = '.NET Framework' } }
    if (Get-Command mono -CommandType Application -ErrorAction Ignore) { return @{ Runs = $true; How = 'Mono' } }
    @{ Runs = $false; Why = 'Mono is not installed (no mono on PATH); install mono-runtime and mono-devel to run it (.ci/run does)' }
}

function Invoke-Test {
    Invoke-Build
    $results = New-Item -ItemType Directory -Force -Path (Join-Path $Out 'test-results')
    Get-ChildItem -LiteralPath $results -File | Remove-Item -Force
    $totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $failedSuites = @()

    $env:CFTASKS_MODULE_PATH = $ModuleOut
    $env:CFTASKS_FAKE_DLL = Join-Path $Root "tests/FakeCloudFoundry/bin/$Configuration/net10.0/FakeCloudFoundry.dll"
    $projects = Get-ChildItem -Path (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj'

    # Core: every suite's .NET build (the module's Core build, the client, the fake).
    foreach ($project in $projects | Where-Object { (Get-TestTargetFrameworks $_) -contains 'net10.0' }) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $counts = Invoke-TestProject $project 'net10.0' $results
        if (-not $counts) { $totals.Failed += 1; $failedSuites += $project.BaseName; continue }
        $totals.Passed += $counts.Passed; $totals.Failed += $counts.Failed; $totals.Skipped += $counts.Skipped
        Write-Host ("{0}: {1} passed, {2} failed, {3} skipped ({4:0.0} s)" -f $project.BaseName, $counts.Passed, $counts.Failed, $counts.Skipped, $watch.Elapsed.TotalSeconds)
        if ($counts.Failed -gt 0) { $failedSuites += $project.BaseName }
    }

    $pester = Get-PesterModulePath
    $pesterResult = Join-Path $results 'pester.json'
    $pesterLog = Join-Path $Logs 'test-pester.log'
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $runner = Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1'
    $pwsh = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'pwsh') { [Environment]::ProcessPath } else { Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh') }
    & $pwsh -NoProfile -NonInteractive -File $runner -PesterPath $pester -ResultPath $pesterResult *> $pesterLog
    if (Test-Path $pesterResult) {
        $counts = Get-Content -LiteralPath $pesterResult -Raw | ConvertFrom-Json
        $totals.Passed += $counts.Passed; $totals.Failed += $counts.Failed; $totals.Skipped += $counts.Skipped
        Write-Host ("Pester: {0} passed, {1} failed, {2} skipped ({3:0.0} s)" -f $counts.Passed, $counts.Failed, $counts.Skipped, $watch.Elapsed.TotalSeconds)
        if ($counts.Failed -gt 0) { Get-Content -LiteralPath $pesterLog | Write-Host; $failedSuites += 'Pester' }
    }
    else {
        Get-Content -LiteralPath $pesterLog | Write-Host
        $totals.Failed += 1
        $failedSuites += 'Pester'
    }

    # Desktop: the net472 suites (the client against the fake as a process, the Desktop resolver), one line for all.
    $desktop = Get-DesktopRunner
    if ($desktop.Runs) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $sum = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
        foreach ($project in $projects | Where-Object { (Get-TestTargetFrameworks $_) -contains 'net472' }) {
            $counts = Invoke-TestProject $project 'net472' $results
            if (-not $counts) { $sum.Failed += 1; $failedSuites += "$($project.BaseName) (net472)"; continue }
            $sum.Passed += $counts.Passed; $sum.Failed += $counts.Failed; $sum.Skipped += $counts.Skipped
            if ($counts.Failed -gt 0) { $failedSuites += "$($project.BaseName) (net472)" }
        }
        $totals.Passed += $sum.Passed; $totals.Failed += $sum.Failed; $totals.Skipped += $sum.Skipped
        Write-Host ("desktop (net472): {0} passed, {1} failed, {2} skipped (under {3}, {4:0.0} s)" -f $sum.Passed, $sum.Failed, $sum.Skipped, $desktop.How, $watch.Elapsed.TotalSeconds)
    }
    else {
        Write-Host "desktop (net472): not run: $($desktop.Why)."
    }

    if ($failedSuites) { Write-Host "Failing: $($failedSuites -join ', ')" }
    Write-Host ("total: {0} passed, {1} failed, {2} skipped" -f $totals.Passed, $totals.Failed, $totals.Skipped)
    if ($totals.Failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & (Join-Path $Root 'samples/demo.ps1') -ModulePath $ModuleOut -FakePath (Join-Path $Root "tests/FakeCloudFoundry/bin/$Configuration/net10.0/FakeCloudFoundry.dll")
    if (-not $?) { exit 1 }
}

function Invoke-Package {
    # Builds, then packs out/CfTasks into out/CfTasks.<ModuleVersion>.nupkg (Compress-PSResource, in a child pwsh).
    Invoke-Build
    $pwsh = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'pwsh') { [Environment]::ProcessPath } else { Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh') }
    Invoke-Step 'package' 'package' { & $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'build/New-ModulePackage.ps1') -ModulePath $ModuleOut -DestinationPath $Out }
    Get-ChildItem -LiteralPath $Out -Filter 'CfTasks.*.nupkg' | ForEach-Object { Write-Host "package: $($_.FullName)" }
}

function Invoke-Clean {
    if (Test-Path $Out) { Remove-Item -Recurse -Force $Out }
    Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests'), (Join-Path $Root 'bench') -Directory -Recurse -Include 'bin', 'obj' -ErrorAction SilentlyContinue |
        Remove-Item -Recurse -Force
    Write-Host 'clean'
}

# ---- Bench (bench/, docs/performance.md) ------------------------------------------------------------------------
function Invoke-Bench {
    # Builds Release, builds the floor program and the one-cmdlet import-floor module (both kept out of CfTasks.sln so
    # Build/Test never pay for them), and runs the benchmark harness; the table goes to bench/results/latest.md.
    if ($Configuration -ne 'Release') { throw 'The benchmark measures Release builds: run it without -Configuration Debug.' }
    $benchArguments = @{}
    if ($env:CFTASKS_BENCH_QUICK -eq '1') { $benchArguments.Quick = $true } # tiny sizes: a smoke run of the harness
    Invoke-Build
    $floor = Join-Path $Root 'bench/CfTasks.Bench.Floor'
    Invoke-Step 'build bench floor' 'bench-floor' { dotnet build $floor -c Release -nologo -v quiet -clp:ErrorsOnly }
    $emptyModule = Join-Path $Root 'bench/CfTasks.Bench.EmptyModule'
    Invoke-Step 'build bench empty module' 'bench-empty-module' { dotnet build $emptyModule -c Release -nologo -v quiet -clp:ErrorsOnly }
    & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath $ModuleOut `
        -FakeDll (Join-Path $Root 'tests/FakeCloudFoundry/bin/Release/net10.0/FakeCloudFoundry.dll') `
        -FloorDll (Join-Path $floor 'bin/Release/net10.0/CfTasks.Bench.Floor.dll') `
        -EmptyModulePath (Join-Path $emptyModule 'bin/Release/net8.0/CfTasks.Bench.EmptyModule.psd1') @benchArguments
    if (-not $?) { exit 1 }
}
# ---- end Bench ---------------------------------------------------------------------------------------------------

switch ($Task) {
    'Build' { Invoke-Build; Write-Host "module staged at $ModuleOut" }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Clean' { Invoke-Clean }
    'Package' { Invoke-Package }
    'Bench' { Invoke-Bench }
}
