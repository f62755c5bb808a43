using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>
/// The staged Desktop build (out/CfTasks/Desktop, for Windows PowerShell 5.1), checked from its metadata, so it runs on
/// any machine. Mono ignores the strong-name version mismatches .NET Framework enforces, so a green Desktop suite under
/// Mono proves nothing about binding: this does. The Desktop resolver answers any version of a shipped assembly (it is
/// the binding-redirect table), so every reference must find a shipped file of the same or a higher version, or .NET
/// Framework itself.
/// </summary>
public sealed class DesktopBuildTests
{
    private static readonly string ModuleFolder = RepositoryPaths.Module;
    private static readonly string DesktopFolder = Path.Combine(ModuleFolder, "Desktop");
    private static readonly string CoreFolder = Path.Combine(ModuleFolder, "Core");
    private static readonly string NetFramework = Metadata("NetFramework472");
    private static readonly string WindowsPowerShellAutomation = Metadata("WindowsPowerShellAutomation");

    /// <summary>Windows PowerShell 5.1's own assemblies: present in every session, never shipped by a module.</summary>
    private static readonly string[] WindowsPowerShellAssemblies =
    [
        "System.Management.Automation", "Microsoft.PowerShell.ConsoleHost", "Microsoft.PowerShell.Commands.Utility",
        "Microsoft.PowerShell.Commands.Management", "Microsoft.PowerShell.Commands.Diagnostics", "Microsoft.PowerShell.Security",
        "Microsoft.PowerShell.Workflow.ServiceCore", "Microsoft.Management.Infrastructure", "Microsoft.WSMan.Management",
    ];

    /// <summary>Every assembly CfTasks ships for Desktop: the cmdlets, the shared user types and the dependencies.</summary>
    private static IReadOnlyList<string> Shipped() =>
    [
        Path.Combine(DesktopFolder, "CfTasks.dll"),
        Path.Combine(ModuleFolder, "CfTasks.Objects.dll"),
        .. Directory.GetFiles(Path.Combine(DesktopFolder, "Dependencies"), "*.dll"),
    ];

    /// <summary>.NET Framework 4.7.2's assemblies (reference pack and its facades) by name, with their versions.</summary>
    private static Dictionary<string, Version> FrameworkAssemblies() =>
        Directory.GetFiles(NetFramework, "*.dll").Concat(Directory.GetFiles(Path.Combine(NetFramework, "Facades"), "*.dll"))
            .Select(TryGetAssemblyName).OfType<AssemblyName>() // a few files there are not assemblies
            .GroupBy(n => n.Name!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Max(n => n.Version)!, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Every_reference_of_every_shipped_assembly_finds_a_shipped_file_of_the_same_or_a_higher_version_or_the_framework()
    {
        var shipped = Shipped().Select(AssemblyName.GetAssemblyName).ToDictionary(n => n.Name!, StringComparer.OrdinalIgnoreCase);
        var framework = FrameworkAssemblies();
        var problems = new List<string>();

        foreach (var file in Shipped())
        {
            var from = Path.GetFileNameWithoutExtension(file);
            foreach (var reference in References(file))
            {
                if (shipped.TryGetValue(reference.Name!, out var provided))
                {
                    if (provided.Version < reference.Version)
                        problems.Add($"{from} needs {reference.Name} {reference.Version}; {provided.Version} is shipped");
                    if (!SameToken(provided, reference))
                        problems.Add($"{from} needs {reference.Name} with another public key token than the shipped file's");
                }
                else if (framework.TryGetValue(reference.Name!, out var inBox))
                {
                    // .NET Framework unifies a reference to any of its assemblies to its own copy when the versions
                    // differ only in build and revision (4.7.1 added the netstandard facades and System.ValueTuple to
                    // that table: dotnet/corefx#31987); a higher major.minor would not bind.
                    if (inBox < reference.Version! && (inBox.Major, inBox.Minor) != (reference.Version!.Major, reference.Version.Minor))
                        problems.Add($"{from} needs {reference.Name} {reference.Version}; .NET Framework 4.7.2 has {inBox}");
                }
                else if (reference.Name == "System.Management.Automation")
                {
                    if (from != "CfTasks" || reference.Version != new Version(3, 0, 0, 0))
                        problems.Add($"{from} references System.Management.Automation {reference.Version}; only CfTasks may, and only Windows PowerShell's 3.0.0.0");
                }
                else
                {
                    problems.Add($"{from} needs {reference.Name} {reference.Version}: neither shipped nor part of .NET Framework 4.7.2");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Nothing_shipped_is_a_framework_or_Windows_PowerShell_assembly()
    {
        var framework = FrameworkAssemblies();

        var duplicates = Directory.GetFiles(ModuleFolder, "*.dll", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(CoreFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => framework.ContainsKey(name!) || WindowsPowerShellAssemblies.Contains(name, StringComparer.OrdinalIgnoreCase))
            .ToList();

        Assert.Empty(duplicates);
        Assert.Contains("System.Text.Json", Shipped().Select(Path.GetFileNameWithoutExtension)); // .NET Framework has none
    }

    [Fact]
    public void Each_dependency_is_shipped_once_in_the_dependency_folder_only()
    {
        var inEditionFolder = Directory.GetFiles(DesktopFolder, "*.dll").Select(Path.GetFileName);
        var inModuleFolder = Directory.GetFiles(ModuleFolder, "*.dll").Select(Path.GetFileName);

        Assert.Equal(["CfTasks.dll"], inEditionFolder);
        Assert.Equal(["CfTasks.Objects.dll"], inModuleFolder);
        Assert.DoesNotContain("CfTasks.Objects.dll", Directory.GetFiles(Path.Combine(DesktopFolder, "Dependencies")).Select(Path.GetFileName));
    }

    [Fact]
    public void What_PowerShell_reads_at_import_needs_nothing_from_the_dependency_folder()
    {
        // Windows PowerShell lists the exported types (base types and interfaces included) and reads their cmdlet
        // attributes before it runs the module's initializer, that is before the resolver answers anything. So those
        // must load from .NET Framework, PowerShell and the shared user types alone.
        var known = Directory.GetFiles(NetFramework, "*.dll").Concat(Directory.GetFiles(Path.Combine(NetFramework, "Facades"), "*.dll"))
            .Append(WindowsPowerShellAutomation)
            .Append(Path.Combine(ModuleFolder, "CfTasks.Objects.dll"))
            .Append(Path.Combine(DesktopFolder, "CfTasks.dll"));
        using var context = new MetadataLoadContext(new PathAssemblyResolver(known), "mscorlib");
        var assembly = context.LoadFromAssemblyPath(Path.Combine(DesktopFolder, "CfTasks.dll"));

        var described = assembly.GetExportedTypes().Select(type =>
        {
            for (var t = type; t is not null; t = t.BaseType) _ = t.GetInterfaces();
            _ = type.GetCustomAttributesData().Select(a => a.ConstructorArguments.Count).ToList();
            return type.FullName;
        }).ToList();

        Assert.Contains("CfTasks.Commands.StartCfTaskCommand", described);
        Assert.Contains("CfTasks.Isolation.ModuleInitializer", described);
    }

    [Fact]
    public void Both_builds_have_the_same_cmdlets_parameters_and_output_types()
    {
        var core = DescribeCmdlets(Path.Combine(CoreFolder, "CfTasks.dll"),
            Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Append(typeof(System.Management.Automation.PSCmdlet).Assembly.Location), "System.Private.CoreLib");
        var desktop = DescribeCmdlets(Path.Combine(DesktopFolder, "CfTasks.dll"),
            Directory.GetFiles(NetFramework, "*.dll").Concat(Directory.GetFiles(Path.Combine(NetFramework, "Facades"), "*.dll"))
                .Append(WindowsPowerShellAutomation), "mscorlib");

        Assert.Equal(ManifestCmdletCount(), core.Count);
        Assert.Equal(core, desktop);
    }

    /// <summary>How many cmdlets the manifest exports (CmdletsToExport): every one must be in both builds.</summary>
    private static int ManifestCmdletCount()
    {
        var manifest = File.ReadAllText(Path.Combine(ModuleFolder, "CfTasks.psd1"));
        var list = System.Text.RegularExpressions.Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<names>[^)]*)\)").Groups["names"].Value;
        return System.Text.RegularExpressions.Regex.Matches(list, @"'[A-Za-z]+-Cf[A-Za-z]+'").Count;
    }

    /// <summary>Each cmdlet as text: name, output types, and every parameter with its type and attributes.</summary>
    private static List<string> DescribeCmdlets(string cmdletAssembly, IEnumerable<string> platform, string coreAssembly)
    {
        var paths = platform.Append(Path.Combine(ModuleFolder, "CfTasks.Objects.dll")).Append(cmdletAssembly)
            .Concat(Directory.GetFiles(Path.Combine(Path.GetDirectoryName(cmdletAssembly)!, "Dependencies"), "*.dll"));
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths.GroupBy(Path.GetFileName).Select(g => g.First())), coreAssembly);
        var assembly = context.LoadFromAssemblyPath(cmdletAssembly);
        var cmdlets = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "CmdletAttribute");
            if (cmdlet is null) continue;
            var lines = new List<string> { $"{type.FullName}: {Describe(cmdlet)}" };
            lines.AddRange(type.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute").Select(Describe).Order(StringComparer.Ordinal));
            foreach (var property in type.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var attributes = property.GetCustomAttributesData().Select(Describe).Order(StringComparer.Ordinal).ToList();
                if (attributes.Any(a => a.StartsWith("ParameterAttribute", StringComparison.Ordinal)))
                    lines.Add($"  -{property.Name} [{TypeName(property.PropertyType)}] {string.Join(" ", attributes)}");
            }
            cmdlets.Add(string.Join(Environment.NewLine, lines));
        }
        return cmdlets;
    }

    private static string Describe(CustomAttributeData attribute) =>
        attribute.AttributeType.Name + "(" + string.Join(", ",
            attribute.ConstructorArguments.Select(Value).Concat(attribute.NamedArguments.Select(n => $"{n.MemberName}={Value(n.TypedValue)}"))) + ")";

    private static string Value(CustomAttributeTypedArgument argument) => argument.Value switch
    {
        Type type => TypeName(type),
        IEnumerable<CustomAttributeTypedArgument> items => "[" + string.Join(", ", items.Select(Value)) + "]",
        null => "null",
        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    /// <summary>A type's name without assembly names (they differ between the two platforms).</summary>
    private static string TypeName(Type type) =>
        type.IsArray ? TypeName(type.GetElementType()!) + "[]"
        : type.IsGenericType ? $"{type.Namespace}.{type.Name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.FullName ?? type.Name;

    private static IEnumerable<AssemblyName> References(string file)
    {
        using var stream = File.OpenRead(file);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.AssemblyReferences)
            yield return reader.GetAssemblyReference(handle).GetAssemblyName();
    }

    private static AssemblyName? TryGetAssemblyName(string file)
    {
        try
        {
            return AssemblyName.GetAssemblyName(file);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    private static bool SameToken(AssemblyName a, AssemblyName b) =>
        (a.GetPublicKeyToken() ?? []).AsSpan().SequenceEqual(b.GetPublicKeyToken() ?? []);

    private static string Metadata(string key) =>
        typeof(DesktopBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
