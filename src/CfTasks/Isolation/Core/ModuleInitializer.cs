using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace CfTasks.Isolation;

/// <summary>
/// Core (PowerShell 7): runs when the module is imported and hooks the default context's resolution so that the client
/// library is loaded into <see cref="DependencyLoadContext"/> the first time a cmdlet needs it. Does no other work
/// (import stays fast). The module folder holds <c>CfTasks.Objects.dll</c> (shared by both editions); this assembly
/// lives in its <c>Core/</c> folder, next to <c>Core/Dependencies/</c>.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string EditionFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
    private static readonly string SharedObjects = Path.Combine(Path.GetDirectoryName(EditionFolder)!, "CfTasks.Objects.dll");
    private static readonly Lazy<DependencyLoadContext> Dependencies =
        new(() => new DependencyLoadContext(Path.Combine(EditionFolder, "Dependencies")));

    /// <summary>The assemblies the cmdlet assembly references directly and that must come from the isolated context.</summary>
    private static readonly HashSet<string> IsolatedEntryPoints = new(StringComparer.Ordinal) { "CfTasks.Client" };

    /// <inheritdoc />
    public void OnImport()
    {
        // PowerShell may run this twice for one import (a script root module importing this one): register once.
        AssemblyLoadContext.Default.Resolving -= ResolveIntoDependencies;
        AssemblyLoadContext.Default.Resolving += ResolveIntoDependencies;
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveIntoDependencies;

    private static Assembly? ResolveIntoDependencies(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name == "CfTasks.Objects")
            return context.LoadFromAssemblyPath(SharedObjects);
        return name.Name is not null && IsolatedEntryPoints.Contains(name.Name)
            ? Dependencies.Value.LoadFromAssemblyName(name)
            : null;
    }
}
