using System.Reflection;
using System.Runtime.Loader;

namespace CfTasks.Isolation;

/// <summary>
/// Core (PowerShell 7): the module's own AssemblyLoadContext. The client library and everything it depends on (Refit,
/// Polly, ...) load here from <c>Core/Dependencies</c>, so another module's Polly or Refit never clashes with ours.
/// Only the cmdlet assembly and the user-facing object types live in PowerShell's default context.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _dependencyFolder;

    public DependencyLoadContext(string dependencyFolder) : base("CfTasks.Dependencies", isCollectible: false)
    {
        _dependencyFolder = dependencyFolder;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_dependencyFolder, assemblyName.Name + ".dll");
        // Anything not shipped in Dependencies (the framework, CfTasks.Objects) comes from the default context.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
