using System.Reflection;
using Refit;

namespace CfTasks.Client.Tests;

/// <summary>
/// Every Refit interface of the client gets Refit's generated implementation from RestService.For, in both builds. On
/// .NET Framework Refit does not register its generated clients itself (NetFramework/RefitGeneratedClients.cs does);
/// this fails if a Refit upgrade breaks that, or if a new API interface is not registered.
/// </summary>
public sealed class RefitRegistrationTests
{
    public static TheoryData<Type> ApiInterfaces()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(CfSession).Assembly.GetTypes().Where(IsRefitInterface).OrderBy(t => t.FullName, StringComparer.Ordinal))
            data.Add(type);
        return data;
    }

    [Fact]
    public void The_client_has_its_three_apis()
    {
        Assert.Equal(["CfTasks.Client.Api.ICloudControllerApi", "CfTasks.Client.Api.ILogCacheApi", "CfTasks.Client.Api.IUaaApi"],
            typeof(CfSession).Assembly.GetTypes().Where(IsRefitInterface).Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ApiInterfaces))]
    public void RestService_gives_the_generated_client(Type api)
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") };

        var client = RestService.For(api, http, new RefitSettings());

        Assert.IsAssignableFrom(api, client);
        Assert.Same(typeof(CfSession).Assembly, client.GetType().Assembly); // generated into the client, not built by reflection
        Assert.StartsWith("Refit.Implementation.", client.GetType().FullName, StringComparison.Ordinal);
    }

    private static bool IsRefitInterface(Type type) =>
        type.IsInterface && type.GetMethods().Any(m => m.GetCustomAttributes().Any(a => a is HttpMethodAttribute));
}
