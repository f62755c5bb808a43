using System.Reflection;
using CfTasks.Client.Tests;
using CfTasks.Isolation;

namespace CfTasks.Desktop.Tests;

/// <summary>
/// The Desktop AssemblyResolve handler's rules (DependencyResolver): it answers only for files in its folder, with the
/// right public key token, whatever version is asked (it is the binding redirect), only for CfTasks' own requests or
/// for unknown requesters when nobody else has that exact assembly; otherwise null, so others can answer.
/// A copy of Polly.Core (signed), Refit (signed) and CfTasks.Client (unsigned) in a temporary folder plays the
/// dependency folder; this test assembly plays CfTasks.
/// </summary>
public sealed class DependencyResolverTests : IDisposable
{
    private const string PollyToken = "c8a3ffc3f8f825cc";
    private static readonly string Bin = AppDomain.CurrentDomain.BaseDirectory; // the build output (xunit may run a shadow copy)
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cftasks-resolver-" + Guid.NewGuid().ToString("N"));
    private readonly Assembly _cfTasks = typeof(DependencyResolverTests).Assembly;
    private readonly DependencyResolver _resolver;

    public DependencyResolverTests()
    {
        Directory.CreateDirectory(_folder);
        foreach (var file in new[] { "Polly.Core.dll", "Refit.dll", "CfTasks.Client.dll" })
            File.Copy(Path.Combine(Bin, file), Path.Combine(_folder, file));
        _resolver = new DependencyResolver(_folder, _cfTasks,
            new Dictionary<string, string> { ["CfTasks.Objects"] = Path.Combine(Bin, "CfTasks.Objects.dll") });
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // a loaded file stays locked on Windows until the process ends
        }
    }

    private Assembly? Resolve(string name, Assembly? requester) => _resolver.Resolve(null, new ResolveEventArgs(name, requester));

    [Fact]
    public void Answers_for_a_file_in_its_folder_with_the_right_token_whatever_version_is_asked()
    {
        var older = Resolve($"Polly.Core, Version=1.0.0.0, Culture=neutral, PublicKeyToken={PollyToken}", _cfTasks);
        var newer = Resolve($"Polly.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken={PollyToken}", _cfTasks);

        Assert.NotNull(older);
        Assert.Equal(Path.Combine(_folder, "Polly.Core.dll"), older.Location);
        Assert.Same(older, newer); // loaded once
    }

    [Fact]
    public void Refuses_another_public_key_token()
    {
        Assert.Null(Resolve("Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089", _cfTasks));
        Assert.Null(Resolve("Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken=null", _cfTasks));
        Assert.Null(Resolve("Polly.Core", _cfTasks)); // a simple name carries no token: only an unsigned file matches
    }

    [Fact]
    public void Refuses_what_is_not_in_its_folder()
    {
        Assert.Null(Resolve("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", _cfTasks));
        Assert.Null(Resolve("System.Text.Json, Version=10.0.0.14, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", _cfTasks));
    }

    [Fact]
    public void Never_takes_a_path_for_a_name()
    {
        Assert.Null(Resolve("../Polly.Core", _cfTasks));
        Assert.Null(Resolve(@"..\Polly.Core", _cfTasks));
        Assert.Null(Resolve(Path.Combine(_folder, "Polly.Core"), _cfTasks));
    }

    [Fact]
    public void Refuses_requests_from_other_assemblies()
    {
        Assert.Null(Resolve($"Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken={PollyToken}", typeof(Assert).Assembly));
    }

    [Fact]
    public void Answers_requests_from_an_assembly_it_loaded()
    {
        var polly = Resolve($"Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken={PollyToken}", _cfTasks)!;

        var client = Resolve("CfTasks.Client, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", polly);

        Assert.Equal(Path.Combine(_folder, "CfTasks.Client.dll"), client?.Location);
    }

    [Fact]
    public void An_unsigned_file_answers_only_an_unsigned_request()
    {
        Assert.Null(Resolve($"CfTasks.Client, Version=0.1.0.0, Culture=neutral, PublicKeyToken={PollyToken}", _cfTasks));
        Assert.NotNull(Resolve("CfTasks.Client, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", _cfTasks));
    }

    [Fact]
    public void Answers_an_unknown_requester_unless_another_copy_of_exactly_that_assembly_is_loaded()
    {
        var loadedElsewhere = typeof(Refit.RestService).Assembly; // this process's own Refit, from the test's bin

        var same = Resolve(loadedElsewhere.FullName!, requester: null);
        var other = Resolve(loadedElsewhere.FullName!.Replace(loadedElsewhere.GetName().Version!.ToString(), "15.9.0.0"), requester: null);

        Assert.Null(same); // whoever loaded it answers (Windows PowerShell's own handler does)
        Assert.Equal(Path.Combine(_folder, "Refit.dll"), other?.Location);
    }

    [Fact]
    public void The_shared_user_types_are_the_copy_already_loaded()
    {
        var objects = Resolve(typeof(CfTask).Assembly.FullName!, _cfTasks);

        Assert.Same(typeof(CfTask).Assembly, objects);
    }

    [Fact]
    public void A_shared_assembly_is_the_copy_loaded_from_its_file_however_it_was_loaded()
    {
        var shared = Path.Combine(_folder, "shared");
        Directory.CreateDirectory(shared);
        File.Copy(Path.Combine(Bin, "CfTasks.Objects.dll"), Path.Combine(shared, "CfTasks.Objects.dll"));
        // As if PowerShell had loaded it some other way than LoadFrom: .NET Framework's LoadFrom would then load a second
        // copy of the user types (Mono's returns this one anyway, so under Mono this only shows the rule holds).
        var preloaded = Assembly.LoadFile(Path.Combine(shared, "CfTasks.Objects.dll"));
        var resolver = new DependencyResolver(_folder, _cfTasks, new Dictionary<string, string> { ["CfTasks.Objects"] = Path.Combine(shared, "CfTasks.Objects.dll") });

        var resolved = resolver.Resolve(null, new ResolveEventArgs(preloaded.FullName!, _cfTasks));

        Assert.Same(preloaded, resolved);
    }

    [MonoCannotRunFact("Mono binds an assembly of any version by name (loaded already, or in the application folder), so AssemblyResolve never fires here")]
    public void As_the_AppDomain_handler_it_acts_as_the_binding_redirect_for_a_version_that_is_not_on_disk()
    {
        ResolveEventHandler handler = _resolver.Resolve;
        AppDomain.CurrentDomain.AssemblyResolve += handler;
        try
        {
            var loaded = Assembly.Load($"Polly.Core, Version=8.99.0.0, Culture=neutral, PublicKeyToken={PollyToken}");

            Assert.Equal(Path.Combine(_folder, "Polly.Core.dll"), loaded.Location);
        }
        finally
        {
            AppDomain.CurrentDomain.AssemblyResolve -= handler;
        }
    }
}
