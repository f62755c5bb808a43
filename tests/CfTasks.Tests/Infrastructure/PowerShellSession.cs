using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CfTasks.Tests.Infrastructure;

/// <summary>What one script run produced, stream by stream.</summary>
public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<string> Information,
    RuntimeException? Terminating)
{
    /// <summary>Output objects as T (unwrapping PSObject).</summary>
    public IReadOnlyList<T> As<T>() => Output.Select(o => (T)o.BaseObject).ToList();

    /// <summary>The terminating error's record, or the first non-terminating one.</summary>
    public ErrorRecord? FirstError => Terminating?.ErrorRecord ?? Errors.FirstOrDefault();

    /// <summary>Every stream's text in one string, for "is a secret anywhere?" checks.</summary>
    public string AllText() => string.Join('\n', Output.Select(o => o?.ToString())
        .Concat(Errors.SelectMany(e => new[] { e.ToString(), e.Exception?.ToString(), e.ErrorDetails?.Message, e.TargetObject?.ToString() }))
        .Concat(Warnings).Concat(Verbose).Concat(Debug).Concat(Information)
        .Append(Terminating?.ToString()).Append(Terminating?.ErrorRecord?.Exception?.ToString()));
}

/// <summary>
/// A PowerShell runspace hosted in the test process with the built module (out/CfTasks) imported: the cmdlets run
/// exactly as a user's session runs them, through the module's own dependency isolation.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    /// <summary>Opens a runspace and imports the module; with <paramref name="host"/>, commands run under that host (one that can prompt).</summary>
    public PowerShellSession(System.Management.Automation.Host.PSHost? host = null)
    {
        var state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        _runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
        var import = Run($"Import-Module '{RepositoryPaths.Module}' -ErrorAction Stop");
        if (import.Terminating is not null || import.Errors.Count > 0)
            throw new InvalidOperationException($"Import-Module {RepositoryPaths.Module} failed: {import.FirstError}");
    }

    /// <summary>Runs a script; $variables are set first. Terminating errors are captured, not thrown.</summary>
    public ScriptResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        if (variables is not null)
            foreach (var (name, value) in variables) _runspace.SessionStateProxy.SetVariable(name, value);
        shell.AddScript(script);
        Collection<PSObject> output = [];
        RuntimeException? terminating = null;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException error)
        {
            terminating = error;
        }
        return new ScriptResult(
            output.Where(o => o is not null).ToList(),
            shell.Streams.Error.ToList(),
            shell.Streams.Warning.Select(w => w.Message).ToList(),
            shell.Streams.Verbose.Select(v => v.Message).ToList(),
            shell.Streams.Debug.Select(d => d.Message).ToList(),
            shell.Streams.Information.Select(i => i.MessageData?.ToString() ?? "").ToList(),
            terminating);
    }

    /// <summary>
    /// Runs a script on another thread and stops it as Ctrl+C does once <paramref name="stopWhen"/> holds (polled; at most
    /// 30 s); returns how long the stop took.
    /// </summary>
    public async Task<TimeSpan> RunAndStopAsync(string script, Func<bool> stopWhen)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        var running = shell.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!stopWhen() && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(20);
        if (running.IsCompleted) throw new InvalidOperationException("the script ended before it could be stopped: " + string.Join("; ", shell.Streams.Error));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Factory.FromAsync(shell.BeginStop(null, null), shell.EndStop);
        var took = clock.Elapsed;
        try
        {
            shell.EndInvoke(running);
        }
        catch (PipelineStoppedException)
        {
            // expected
        }
        return took;
    }

    /// <summary>Connects to the fake as a user (default: the seed's developer in demo-org/demo-space).</summary>
    public ScriptResult Connect(string api, string user = "developer", string password = "developer-password",
        string? org = "demo-org", string? space = "demo-space")
    {
        var orgPart = org is null ? "" : $" -Organization '{org}'";
        var spacePart = space is null ? "" : $" -Space '{space}'";
        var result = Run(
            "$c = [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force)); " +
            $"Connect-CfTarget -ApiEndpoint $api -Credential $c{orgPart}{spacePart}",
            new Dictionary<string, object?> { ["api"] = api, ["user"] = user, ["password"] = password });
        if (result.FirstError is { } error) throw new InvalidOperationException("Connect-CfTarget failed: " + error);
        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _runspace.Dispose();
}
