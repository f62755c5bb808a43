using System.Text.Json.Serialization;

namespace CfTasks.Client.Models;

/// <summary>Source-generated System.Text.Json metadata for every wire type: no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(RootDocument))]
[JsonSerializable(typeof(Page<OrganizationResource>))]
[JsonSerializable(typeof(Page<SpaceResource>))]
[JsonSerializable(typeof(Page<AppResource>))]
[JsonSerializable(typeof(Page<TaskResource>))]
[JsonSerializable(typeof(Page<ProcessResource>))]
[JsonSerializable(typeof(OrganizationResource))]
[JsonSerializable(typeof(SpaceResource))]
[JsonSerializable(typeof(AppResource))]
[JsonSerializable(typeof(ProcessResource))]
[JsonSerializable(typeof(TaskResource))]
[JsonSerializable(typeof(TaskCreateRequest))]
[JsonSerializable(typeof(TaskUpdateRequest))]
[JsonSerializable(typeof(AppPlacementPage))]
[JsonSerializable(typeof(CfErrorBody))]
[JsonSerializable(typeof(UaaErrorBody))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(AccessTokenClaims))]
[JsonSerializable(typeof(LogCacheReadResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class CfJsonContext : JsonSerializerContext;

/// <summary>The cf CLI config file uses the CLI's own PascalCase keys.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(CfConfigFile))]
public sealed partial class CfConfigJsonContext : JsonSerializerContext;
