using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace CfTasks.Isolation;

/// <summary>
/// Runs when the module is imported: hooks the default context's resolution so that the client library is loaded
/// into <see cref="DependencyLoadContext"/> the first time a cmdlet needs it. Does no other work (import stays fast).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
    private static readonly Lazy<DependencyLoadContext> Dependencies =
        new(() => new DependencyLoadContext(Path.Combine(ModuleFolder, "Dependencies")));

    /// <summary>The assemblies the cmdlet assembly references directly and that must come from the isolated context.</summary>
    private static readonly HashSet<string> IsolatedEntryPoints = new(StringComparer.Ordinal) { "CfTasks.Client" };

    /// <inheritdoc />
    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveIntoDependencies;

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveIntoDependencies;

    private static Assembly? ResolveIntoDependencies(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name == "CfTasks.Objects")
            return context.LoadFromAssemblyPath(Path.Combine(ModuleFolder, "CfTasks.Objects.dll"));
        return name.Name is not null && IsolatedEntryPoints.Contains(name.Name)
            ? Dependencies.Value.LoadFromAssemblyName(name)
            : null;
    }
}
