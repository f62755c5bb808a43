using CfTasks.Client.Models;
using Refit;

namespace CfTasks.Client.Api;

/// <summary>
/// The Cloud Controller V3 routes CfTasks uses. Multi-value filters are comma lists; null arguments are left out.
/// Lists return the raw response: <see cref="PagedReader"/> reads them (a chunk of resources at a time) and follows
/// <c>pagination.next.href</c> verbatim.
/// An optional <c>page</c> (after the token, so it stays optional) starts a list further in (skipping whole pages);
/// the task lists' creation-time bounds (<c>created_ats[gt]</c>, <c>created_ats[lt]</c>: CC's timestamps, whole seconds
/// in UTC) and the wide listing's <c>organization_guids</c> are optional after it too.
/// </summary>
public interface ICloudControllerApi
{
    /// <summary>Organizations by name.</summary>
    [Get("/v3/organizations")]
    Task<HttpResponseMessage> ListOrganizations(
        [AliasAs("names"), Query(CollectionFormat.Csv)] IEnumerable<string>? names,
        [AliasAs("page")] int? page,
        [AliasAs("per_page")] int? perPage,
        CancellationToken cancellationToken);

    /// <summary>Spaces by name within organizations.</summary>
    [Get("/v3/spaces")]
    Task<HttpResponseMessage> ListSpaces(
        [AliasAs("names"), Query(CollectionFormat.Csv)] IEnumerable<string>? names,
        [AliasAs("organization_guids"), Query(CollectionFormat.Csv)] IEnumerable<string>? organizationGuids,
        [AliasAs("page")] int? page,
        [AliasAs("per_page")] int? perPage,
        CancellationToken cancellationToken);

    /// <summary>Apps, filtered.</summary>
    [Get("/v3/apps")]
    Task<HttpResponseMessage> ListApps(
        [AliasAs("guids"), Query(CollectionFormat.Csv)] IEnumerable<string>? guids,
        [AliasAs("names"), Query(CollectionFormat.Csv)] IEnumerable<string>? names,
        [AliasAs("space_guids"), Query(CollectionFormat.Csv)] IEnumerable<string>? spaceGuids,
        [AliasAs("order_by")] string? orderBy,
        [AliasAs("per_page")] int? perPage,
        CancellationToken cancellationToken);

    /// <summary>
    /// Apps by guid with the spaces and organizations they are in (<c>include=space.organization</c>): names for up to
    /// <c>per_page</c> apps in one request.
    /// </summary>
    [Get("/v3/apps")]
    Task<AppPlacementPage> ListAppPlacements(
        [AliasAs("guids"), Query(CollectionFormat.Csv)] IEnumerable<string> guids,
        [AliasAs("include")] string include,
        [AliasAs("per_page")] int perPage,
        CancellationToken cancellationToken);

    /// <summary>One app.</summary>
    [Get("/v3/apps/{appGuid}")]
    Task<AppResource> GetApp(string appGuid, CancellationToken cancellationToken);

    /// <summary>An app's process of a type (the template for a task).</summary>
    [Get("/v3/apps/{appGuid}/processes/{type}")]
    Task<ProcessResource> GetProcess(string appGuid, string type, CancellationToken cancellationToken);

    /// <summary>Creates a task (202). Not idempotent: never retried blindly.</summary>
    [Post("/v3/apps/{appGuid}/tasks")]
    Task<TaskResource> CreateTask(string appGuid, [Body] TaskCreateRequest body, CancellationToken cancellationToken);

    /// <summary>An app's tasks (returns <c>command</c> to developers; accepts <c>sequence_ids</c>).</summary>
    [Get("/v3/apps/{appGuid}/tasks")]
    Task<HttpResponseMessage> ListAppTasks(
        string appGuid,
        [AliasAs("guids"), Query(CollectionFormat.Csv)] IEnumerable<string>? guids,
        [AliasAs("names"), Query(CollectionFormat.Csv)] IEnumerable<string>? names,
        [AliasAs("states"), Query(CollectionFormat.Csv)] IEnumerable<string>? states,
        [AliasAs("sequence_ids"), Query(CollectionFormat.Csv)] IEnumerable<int>? sequenceIds,
        [AliasAs("label_selector")] string? labelSelector,
        [AliasAs("order_by")] string? orderBy,
        [AliasAs("per_page")] int? perPage,
        CancellationToken cancellationToken,
        [AliasAs("page")] int? page = null,
        [AliasAs("created_ats[gt]")] string? createdAfter = null,
        [AliasAs("created_ats[lt]")] string? createdBefore = null);

    /// <summary>Tasks across apps (never returns <c>command</c>; rejects <c>sequence_ids</c>).</summary>
    [Get("/v3/tasks")]
    Task<HttpResponseMessage> ListTasks(
        [AliasAs("guids"), Query(CollectionFormat.Csv)] IEnumerable<string>? guids,
        [AliasAs("names"), Query(CollectionFormat.Csv)] IEnumerable<string>? names,
        [AliasAs("states"), Query(CollectionFormat.Csv)] IEnumerable<string>? states,
        [AliasAs("app_guids"), Query(CollectionFormat.Csv)] IEnumerable<string>? appGuids,
        [AliasAs("space_guids"), Query(CollectionFormat.Csv)] IEnumerable<string>? spaceGuids,
        [AliasAs("label_selector")] string? labelSelector,
        [AliasAs("order_by")] string? orderBy,
        [AliasAs("per_page")] int? perPage,
        CancellationToken cancellationToken,
        [AliasAs("page")] int? page = null,
        [AliasAs("created_ats[gt]")] string? createdAfter = null,
        [AliasAs("created_ats[lt]")] string? createdBefore = null,
        [AliasAs("organization_guids"), Query(CollectionFormat.Csv)] IEnumerable<string>? organizationGuids = null);

    /// <summary>One task.</summary>
    [Get("/v3/tasks/{taskGuid}")]
    Task<TaskResource> GetTask(string taskGuid, CancellationToken cancellationToken);

    /// <summary>Changes a task's labels and annotations (200 with the task); a key set to null is removed.</summary>
    [Patch("/v3/tasks/{taskGuid}")]
    Task<TaskResource> UpdateTask(string taskGuid, [Body] TaskUpdateRequest body, CancellationToken cancellationToken);

    /// <summary>Asks Cloud Foundry to cancel a task (202, CANCELING).</summary>
    [Post("/v3/tasks/{taskGuid}/actions/cancel")]
    Task<TaskResource> CancelTask(string taskGuid, CancellationToken cancellationToken);
}
