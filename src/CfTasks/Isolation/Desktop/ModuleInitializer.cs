using System.Management.Automation;
using System.Reflection;

namespace CfTasks.Isolation;

/// <summary>
/// Desktop (Windows PowerShell 5.1): runs when the module is imported and registers <see cref="DependencyResolver"/>
/// for <c>Desktop/Dependencies</c>. Loads nothing itself (import stays fast): the first cmdlet that needs the client
/// triggers the first resolution.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string EditionFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    internal static readonly DependencyResolver Resolver = new(
        Path.Combine(EditionFolder, "Dependencies"),
        typeof(ModuleInitializer).Assembly,
        new Dictionary<string, string> { ["CfTasks.Objects"] = Path.Combine(Path.GetDirectoryName(EditionFolder)!, "CfTasks.Objects.dll") });

    private static readonly ResolveEventHandler Handler = Resolver.Resolve;

    /// <inheritdoc />
    public void OnImport() => RegisterAheadOfPowerShell(Handler);

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Handler;

    /// <summary>
    /// Windows PowerShell has its own AssemblyResolve handler, which hands out any assembly PowerShell loaded for a
    /// module (RequiredAssemblies, binary modules, Add-Type) whose full name matches. Polly.Core and Refit keep one
    /// assembly version across releases, so without this another module's older Polly.Core 8.x would be handed to
    /// CfTasks. Handlers run in registration order, so ours goes first: it answers only for CfTasks' own requests
    /// (and unknown requesters when nobody else has that assembly), and PowerShell's answers everything else as before.
    /// </summary>
    internal static void RegisterAheadOfPowerShell(ResolveEventHandler handler)
    {
        var domain = AppDomain.CurrentDomain;
        domain.AssemblyResolve -= handler; // a second import must not register twice
        var powerShells = PowerShellsHandler();
        if (powerShells is not null) domain.AssemblyResolve -= powerShells;
        domain.AssemblyResolve += handler;
        if (powerShells is not null) domain.AssemblyResolve += powerShells;
    }

    private static ResolveEventHandler? PowerShellsHandler()
    {
        var method = typeof(PSCmdlet).Assembly.GetType("System.Management.Automation.ExecutionContext")
            ?.GetMethod("PowerShellAssemblyResolveHandler", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public);
        return method is null ? null : Delegate.CreateDelegate(typeof(ResolveEventHandler), method, throwOnBindFailure: false) as ResolveEventHandler;
    }
}
