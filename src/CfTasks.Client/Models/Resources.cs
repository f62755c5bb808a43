using System.Text.Json.Serialization;

namespace CfTasks.Client.Models;

/// <summary>An organization (only the fields CfTasks reads).</summary>
public sealed record OrganizationResource(string Guid, string Name, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A space.</summary>
public sealed record SpaceResource(string Guid, string Name, DateTime CreatedAt, DateTime UpdatedAt, SpaceRelationships? Relationships);

/// <summary>A space's relationships.</summary>
public sealed record SpaceRelationships(Relationship? Organization);

/// <summary>An app.</summary>
public sealed record AppResource(string Guid, string Name, string State, DateTime CreatedAt, DateTime UpdatedAt, AppRelationships? Relationships);

/// <summary>An app's relationships.</summary>
public sealed record AppRelationships(Relationship? Space, Relationship? CurrentDroplet);

/// <summary>A process (the template for <c>--process</c>).</summary>
public sealed record ProcessResource(string Guid, string Type, string? Command, int? MemoryInMb, int? DiskInMb, long? LogRateLimitInBytesPerSecond);

/// <summary>A task as the CC sends it. <c>command</c> is absent when hidden from the caller. Read by <see cref="TaskResourceConverter"/>.</summary>
[JsonConverter(typeof(TaskResourceConverter))]
public sealed record TaskResource(
    string Guid,
    int SequenceId,
    string Name,
    string? Command,
    string State,
    int? MemoryInMb,
    int? DiskInMb,
    long? LogRateLimitInBytesPerSecond,
    TaskResult? Result,
    string? DropletGuid,
    Metadata? Metadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    TaskRelationships? Relationships,
    string? User = null);

/// <summary>The task's result block.</summary>
public sealed record TaskResult(string? FailureReason);

/// <summary>The task's relationships.</summary>
public sealed record TaskRelationships(Relationship? App);

/// <summary>The body of <c>POST /v3/apps/:guid/tasks</c>; null members are left out, as the cf CLI does.</summary>
public sealed record TaskCreateRequest
{
    public string? Command { get; init; }
    public string? Name { get; init; }
    public int? MemoryInMb { get; init; }
    public int? DiskInMb { get; init; }
    public long? LogRateLimitInBytesPerSecond { get; init; }
    public TaskTemplate? Template { get; init; }
    public string? DropletGuid { get; init; }
    public string? User { get; init; }
    public Metadata? Metadata { get; init; }
}

/// <summary>The body of <c>PATCH /v3/tasks/:guid</c>: only metadata (a value of null removes that key).</summary>
public sealed record TaskUpdateRequest(Metadata Metadata);

/// <summary>
/// A page of apps with <c>include=space.organization</c>: the apps, then the spaces and organizations they are in, so
/// one request names the apps, spaces and organizations of up to <c>per_page</c> apps.
/// </summary>
public sealed record AppPlacementPage(List<AppResource>? Resources, AppPlacementIncluded? Included);

/// <summary>The <c>included</c> block of an apps list.</summary>
public sealed record AppPlacementIncluded(List<SpaceResource>? Spaces, List<OrganizationResource>? Organizations);

/// <summary><c>{"process": {"guid": "..."}}</c>.</summary>
public sealed record TaskTemplate(TaskTemplateProcess Process);

/// <summary>The template process reference.</summary>
public sealed record TaskTemplateProcess(string Guid);
