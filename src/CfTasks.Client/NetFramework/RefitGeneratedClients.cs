using System.Runtime.CompilerServices;
using CfTasks.Client.Api;
using Refit;

namespace Refit.Implementation;

/// <summary>
/// Registers Refit's generated clients on .NET Framework. Refit's source generator emits the implementations for every
/// target, but registers them (a module initializer) only under <c>NET5_0_OR_GREATER</c>; without a registration
/// <c>RestService.For</c> falls back to Refit's reflection builder, which is not shipped, and throws at run time. This
/// completes the generated partial class the same way. If a Refit upgrade renames the generated class or its nested
/// types, this file stops compiling; if it changes how registration works, RefitRegistrationTests fails.
/// </summary>
internal static partial class GeneratedCfTasks_Client
{
    [ModuleInitializer]
    internal static void RegisterOnNetFramework()
    {
        RestService.RegisterGeneratedFactory<ICloudControllerApi>(static (client, builder) => new CfTasksClientApiICloudControllerApi(client, builder));
        RestService.RegisterGeneratedSettingsFactory<ICloudControllerApi>(static (client, settings) => new CfTasksClientApiICloudControllerApi(client, settings));
        RestService.RegisterGeneratedFactory<ILogCacheApi>(static (client, builder) => new CfTasksClientApiILogCacheApi(client, builder));
        RestService.RegisterGeneratedSettingsFactory<ILogCacheApi>(static (client, settings) => new CfTasksClientApiILogCacheApi(client, settings));
        RestService.RegisterGeneratedFactory<IUaaApi>(static (client, builder) => new CfTasksClientApiIUaaApi(client, builder));
        RestService.RegisterGeneratedSettingsFactory<IUaaApi>(static (client, settings) => new CfTasksClientApiIUaaApi(client, settings));
    }
}
