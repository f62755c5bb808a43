using System.Reflection;
using System.Text.RegularExpressions;
using CfTasks.Client.Errors;

namespace CfTasks.Client.Tests;

/// <summary>
/// The client is usable from C# without PowerShell, so its messages say what happened and never what to type in
/// PowerShell: no cmdlet names, no parameters. The cmdlets add that advice (ErrorCatalog). Every failure factory is
/// called here with sample arguments, so a new one is checked without being listed.
/// </summary>
public sealed class ClientMessageTests
{
    private static readonly Regex PowerShellWords = new(@"\b(Connect|Disconnect|Get|Set|Start|Stop|Wait)-Cf\w+|(^|\s)-[A-Z][A-Za-z]+", RegexOptions.CultureInvariant);

    public static TheoryData<string> Factories()
    {
        var data = new TheoryData<string>();
        foreach (var method in FactoryMethods()) data.Add(method.Name + "(" + string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name)) + ")");
        return data;
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void A_client_failure_names_no_cmdlet_or_parameter(string factory)
    {
        var method = FactoryMethods().Single(m => m.Name + "(" + string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name)) + ")" == factory);
        var error = (CfException)method.Invoke(null, method.GetParameters().Select(p => Sample(p.ParameterType)).ToArray())!;

        Assert.DoesNotMatch(PowerShellWords, error.Message);
        Assert.True(Enum.IsDefined(error.Failure), $"{factory} names no known failure");
    }

    [Fact]
    public void Every_failure_factory_is_covered()
    {
        Assert.True(FactoryMethods().Count() >= 30, "the reflection found the factories");
    }

    private static IEnumerable<MethodInfo> FactoryMethods() =>
        typeof(CfErrors).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(CfException));

    private static object? Sample(Type type)
    {
        var task = new CfTask { Guid = "d5cc22ec-99a3-4e6a-af91-a44b4ab7b6fa", SequenceId = 3, Name = "migrate", AppName = "billing", State = CfTaskState.Running };
        return type switch
        {
            _ when type == typeof(string) => "sample",
            _ when type == typeof(object) => "sample",
            _ when type == typeof(int) => 3,
            _ when type == typeof(int?) => 3,
            _ when type == typeof(TimeSpan?) => TimeSpan.FromSeconds(30),
            _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(1)),
            _ when type == typeof(Uri) => new Uri("https://api.sys.example.com"),
            _ when type == typeof(CfTask) => task,
            _ when type == typeof(IReadOnlyList<CfTask>) => new[] { task, new CfTask { Guid = "0b9d2a3e-1f43-4f64-9d7e-5a4e3c1b2a10", SequenceId = 4, Name = "seed", AppName = "billing", State = CfTaskState.Failed, FailureReason = "APP/TASK/seed: Exited with status 1" } },
            _ when type == typeof(CfApp) => new CfApp { Guid = "ccc25a0f-c8f4-4b39-9f1b-de9f328d0ee5", Name = "billing" },
            _ when type == typeof(CfTarget) => new CfTarget { ApiEndpoint = new Uri("https://api.sys.example.com"), Organization = "org", Space = "space" },
            _ when type == typeof(CfTaskState) => CfTaskState.Succeeded,
            _ when type == typeof(CfException) => new CfException(CfFailure.NotFound, CfErrorKind.NotFound, "Cloud Foundry answered GET /v3/x: App not found (CF-ResourceNotFound, 10010)") { StatusCode = 404 },
            _ when type == typeof(Exception) => new InvalidOperationException("sample"),
            _ => throw new InvalidOperationException($"No sample for {type}: add one."),
        };
    }
}
