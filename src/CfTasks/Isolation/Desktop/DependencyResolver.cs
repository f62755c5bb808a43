using System.Reflection;

namespace CfTasks.Isolation;

/// <summary>
/// Desktop (Windows PowerShell 5.1, .NET Framework): the module's <c>AppDomain.AssemblyResolve</c> handler, the pattern
/// Microsoft documents for .NET Framework, which has no AssemblyLoadContext. The dependencies live in
/// <c>Desktop/Dependencies</c>, a folder the runtime never probes, so every request for one of them reaches this handler.
/// It answers only when all of these hold, and returns null (letting others answer) otherwise:
/// <list type="bullet">
/// <item>the requested simple name is a file in that folder (or one of the named shared assemblies), never a path;</item>
/// <item>the public key token matches the shipped file's (unsigned ↔ unsigned) — any requested version: this is the
/// binding redirect .NET Framework would otherwise need (the metadata test checks every shipped reference is
/// satisfied by a shipped file of the same or a higher version);</item>
/// <item>the request comes from CfTasks (the cmdlet assembly or an assembly this handler loaded) or from no known
/// requester (<c>Assembly.Load</c> by name) — and then only if no other copy of exactly that assembly is loaded
/// already, so another module's <c>Assembly.Load</c> keeps getting its own copy.</item>
/// </list>
/// Dependencies load with <c>Assembly.LoadFile</c> (no load context): a same-named assembly another module loaded
/// first is never handed to CfTasks, and ours is never handed to it. The handler itself uses only mscorlib, System
/// and System.Core: a resolver that needed an assembly it resolves would deadlock.
/// </summary>
internal sealed class DependencyResolver
{
    private static readonly char[] NotInAName = ['/', '\\', ':'];
    private readonly string _folder;
    private readonly Assembly _owner;
    private readonly Dictionary<string, string> _shared;
    private readonly object _gate = new();
    private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<Assembly> _ours = [];

    /// <param name="dependencyFolder">The folder of isolated dependencies.</param>
    /// <param name="owner">The assembly whose requests are answered (CfTasks).</param>
    /// <param name="shared">Assemblies outside the folder that CfTasks shares with PowerShell (simple name → path), loaded
    /// with LoadFrom so the copy PowerShell already loaded (RequiredAssemblies) is the one returned.</param>
    public DependencyResolver(string dependencyFolder, Assembly owner, IDictionary<string, string>? shared = null)
    {
        _folder = dependencyFolder;
        _owner = owner;
        _shared = new Dictionary<string, string>(shared ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The handler: an assembly from the dependency folder, or null.</summary>
    public Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        AssemblyName requested;
        try
        {
            requested = new AssemblyName(args.Name);
        }
        catch (Exception error) when (error is ArgumentException or FileLoadException)
        {
            return null;
        }
        var name = requested.Name;
        if (string.IsNullOrEmpty(name) || name.IndexOfAny(NotInAName) >= 0 || !IsAnswerable(args.RequestingAssembly)) return null;

        if (_shared.TryGetValue(name, out var sharedPath))
            return File.Exists(sharedPath) && SameToken(AssemblyName.GetAssemblyName(sharedPath), requested) ? LoadShared(sharedPath) : null;

        lock (_gate)
        {
            if (_loaded.TryGetValue(name, out var already))
                return SameToken(already.GetName(), requested) ? already : null;
        }
        var path = Path.Combine(_folder, name + ".dll");
        if (!File.Exists(path)) return null;
        AssemblyName shipped;
        try
        {
            shipped = AssemblyName.GetAssemblyName(path); // reads the file's identity without loading it
        }
        catch (Exception error) when (error is BadImageFormatException or FileLoadException or IOException)
        {
            return null;
        }
        if (!SameToken(shipped, requested)) return null;
        if (args.RequestingAssembly is null && LoadedElsewhere(requested.FullName)) return null;

        var assembly = Assembly.LoadFile(path);
        lock (_gate)
        {
            if (_loaded.TryGetValue(name, out var raced)) return raced;
            _loaded[name] = assembly;
            _ours.Add(assembly);
            return assembly;
        }
    }

    /// <summary>The copy PowerShell already loaded from that file (RequiredAssemblies), whichever way it loaded it; else
    /// LoadFrom, which also returns an already loaded copy of the same identity.</summary>
    private static Assembly LoadShared(string path)
    {
        var full = Path.GetFullPath(path);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && string.Equals(assembly.Location, full, StringComparison.OrdinalIgnoreCase)) return assembly;
        }
        return Assembly.LoadFrom(full);
    }

    private bool IsAnswerable(Assembly? requester)
    {
        if (requester is null || requester == _owner) return true;
        lock (_gate) return _ours.Contains(requester);
    }

    private bool LoadedElsewhere(string fullName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!string.Equals(assembly.FullName, fullName, StringComparison.OrdinalIgnoreCase)) continue;
            lock (_gate)
                if (!_ours.Contains(assembly)) return true;
        }
        return false;
    }

    /// <summary>Same public key token; a request without one matches only an unsigned file.</summary>
    internal static bool SameToken(AssemblyName shipped, AssemblyName requested)
    {
        var expected = shipped.GetPublicKeyToken() ?? [];
        var asked = requested.GetPublicKeyToken() ?? [];
        if (expected.Length != asked.Length) return false;
        for (var i = 0; i < expected.Length; i++)
            if (expected[i] != asked[i]) return false;
        return true;
    }
}
