using System.Text.Json;
using FakeCloudFoundry.Http;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Json;

/// <summary>Writes CC V3 resources with the field order of the reference fixtures.</summary>
internal static class CcJson
{
    private static readonly JsonEncodedText CreatedAt = JsonEncodedText.Encode("created_at");
    private static readonly JsonEncodedText UpdatedAt = JsonEncodedText.Encode("updated_at");

    public static void WriteOrganization(Utf8JsonWriter w, Organization org, string api)
    {
        var self = $"{api}/v3/organizations/{org.Guid}";
        w.WriteStartObject();
        w.WriteString("guid", org.Guid);
        CcTimestamps.Write(w, CreatedAt, org.CreatedAtNs);
        CcTimestamps.Write(w, UpdatedAt, org.UpdatedAtNs);
        w.WriteString("name", org.Name);
        w.WriteBoolean("suspended", false);
        w.WriteStartObject("relationships");
        WriteToOne(w, "quota", org.QuotaGuid);
        w.WriteEndObject();
        w.WriteStartObject("links");
        WriteLink(w, "self", self);
        WriteLink(w, "domains", self + "/domains");
        WriteLink(w, "default_domain", self + "/domains/default");
        WriteLink(w, "quota", $"{api}/v3/organization_quotas/{org.QuotaGuid}");
        w.WriteEndObject();
        WriteMetadata(w, org.Metadata);
        w.WriteEndObject();
    }

    /// <param name="included">writes the <c>included</c> object of a GET with <c>include</c>, after the resource's keys</param>
    public static void WriteSpace(Utf8JsonWriter w, Space space, string api, Action<Utf8JsonWriter>? included = null)
    {
        var self = $"{api}/v3/spaces/{space.Guid}";
        w.WriteStartObject();
        w.WriteString("guid", space.Guid);
        CcTimestamps.Write(w, CreatedAt, space.CreatedAtNs);
        CcTimestamps.Write(w, UpdatedAt, space.UpdatedAtNs);
        w.WriteString("name", space.Name);
        w.WriteBoolean("suspended", false);
        w.WriteStartObject("relationships");
        WriteToOne(w, "organization", space.Organization.Guid);
        WriteToOne(w, "quota", null);
        w.WriteEndObject();
        w.WriteStartObject("links");
        WriteLink(w, "self", self);
        WriteLink(w, "features", self + "/features");
        WriteLink(w, "organization", $"{api}/v3/organizations/{space.Organization.Guid}");
        WriteLink(w, "apply_manifest", self + "/actions/apply_manifest", "POST");
        w.WriteEndObject();
        WriteMetadata(w, space.Metadata);
        included?.Invoke(w);
        w.WriteEndObject();
    }

    /// <param name="included">writes the <c>included</c> object of a GET with <c>include</c>, after the resource's keys</param>
    public static void WriteApp(Utf8JsonWriter w, CfApp app, string api, Action<Utf8JsonWriter>? included = null)
    {
        var self = $"{api}/v3/apps/{app.Guid}";
        w.WriteStartObject();
        w.WriteString("guid", app.Guid);
        w.WriteString("name", app.Name);
        w.WriteString("state", app.State);
        CcTimestamps.Write(w, CreatedAt, app.CreatedAtNs);
        CcTimestamps.Write(w, UpdatedAt, app.UpdatedAtNs);
        w.WriteStartObject("lifecycle");
        w.WriteString("type", "buildpack");
        w.WriteStartObject("data");
        w.WriteStartArray("buildpacks");
        w.WriteStringValue(app.Buildpack);
        w.WriteEndArray();
        w.WriteString("stack", app.Stack);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("relationships");
        WriteToOne(w, "space", app.Space.Guid);
        WriteToOne(w, "current_droplet", app.DropletGuid);
        w.WriteEndObject();
        w.WriteStartObject("links");
        WriteLink(w, "self", self);
        WriteLink(w, "space", $"{api}/v3/spaces/{app.Space.Guid}");
        WriteLink(w, "processes", self + "/processes");
        WriteLink(w, "packages", self + "/packages");
        WriteLink(w, "environment_variables", self + "/environment_variables");
        WriteLink(w, "current_droplet", self + "/droplets/current");
        WriteLink(w, "droplets", self + "/droplets");
        WriteLink(w, "tasks", self + "/tasks");
        WriteLink(w, "start", self + "/actions/start", "POST");
        WriteLink(w, "stop", self + "/actions/stop", "POST");
        WriteLink(w, "clear_buildpack_cache", self + "/actions/clear_buildpack_cache", "POST");
        WriteLink(w, "revisions", self + "/revisions");
        WriteLink(w, "deployed_revisions", self + "/revisions/deployed");
        WriteLink(w, "features", self + "/features");
        w.WriteEndObject();
        WriteMetadata(w, app.Metadata);
        included?.Invoke(w);
        w.WriteEndObject();
    }

    public static void WriteProcess(Utf8JsonWriter w, AppProcess process, string api, bool showCommand)
    {
        var self = $"{api}/v3/processes/{process.Guid}";
        w.WriteStartObject();
        w.WriteString("guid", process.Guid);
        w.WriteString("type", process.Type);
        w.WriteString("command", showCommand ? process.Command : "[PRIVATE DATA HIDDEN]");
        w.WriteString("user", process.User);
        w.WriteNumber("instances", process.Instances);
        w.WriteNumber("memory_in_mb", process.MemoryInMb);
        w.WriteNumber("disk_in_mb", process.DiskInMb);
        w.WriteNumber("log_rate_limit_in_bytes_per_second", process.LogRateLimitInBytesPerSecond);
        w.WriteStartObject("health_check");
        w.WriteString("type", process.Type == "web" ? "port" : "process");
        w.WriteStartObject("data");
        w.WriteNull("timeout");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("readiness_health_check");
        w.WriteString("type", "process");
        w.WriteStartObject("data");
        w.WriteNull("invocation_timeout");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("relationships");
        WriteToOne(w, "app", process.App.Guid);
        WriteToOne(w, "revision", process.RevisionGuid);
        w.WriteEndObject();
        WriteMetadata(w, process.Metadata);
        CcTimestamps.Write(w, CreatedAt, process.CreatedAtNs);
        CcTimestamps.Write(w, UpdatedAt, process.UpdatedAtNs);
        w.WriteString("version", process.Version);
        w.WriteStartObject("links");
        WriteLink(w, "self", self);
        WriteLink(w, "scale", self + "/actions/scale", "POST");
        WriteLink(w, "app", $"{api}/v3/apps/{process.App.Guid}");
        WriteLink(w, "space", $"{api}/v3/spaces/{process.App.Space.Guid}");
        WriteLink(w, "stats", self + "/stats");
        WriteLink(w, "process_instances", self + "/process_instances");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// A droplet as CC's DropletPresenter writes it. <paramref name="censored"/> null shows <c>execution_metadata</c> and
    /// <c>process_types</c>; otherwise they are replaced by that text (<c>[PRIVATE DATA HIDDEN]</c> for readers who
    /// may not see secrets, <c>[PRIVATE DATA HIDDEN IN LISTS]</c> in every list, as CC's list presenter does).
    /// </summary>
    public static void WriteDroplet(Utf8JsonWriter w, Droplet droplet, string api, string? censored)
    {
        var staged = droplet.State == Droplet.Staged;
        var self = $"{api}/v3/droplets/{droplet.Guid}";
        var app = $"{api}/v3/apps/{droplet.App.Guid}";
        w.WriteStartObject();
        w.WriteString("guid", droplet.Guid);
        CcTimestamps.Write(w, CreatedAt, droplet.CreatedAtNs);
        CcTimestamps.Write(w, UpdatedAt, droplet.UpdatedAtNs);
        w.WriteString("state", droplet.State);
        w.WriteNull("error");
        w.WriteStartObject("lifecycle");
        w.WriteString("type", "buildpack");
        w.WriteStartObject("data");
        w.WriteEndObject();
        w.WriteEndObject();
        if (staged)
        {
            w.WriteStartObject("checksum");
            w.WriteString("type", "sha256");
            w.WriteString("value", droplet.Checksum);
            w.WriteEndObject();
            w.WriteStartArray("buildpacks");
            w.WriteStartObject();
            w.WriteString("name", droplet.App.Buildpack);
            w.WriteString("detect_output", "ruby");
            w.WriteString("buildpack_name", "ruby");
            w.WriteString("version", "1.10.22");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("stack", droplet.App.Stack);
        }
        else
        {
            w.WriteNull("checksum");
            w.WriteNull("buildpacks");
            w.WriteNull("stack");
        }
        w.WriteNull("image");
        w.WriteString("execution_metadata", censored ?? "");
        if (censored is not null)
        {
            w.WriteStartObject("process_types");
            w.WriteString("redacted_message", censored);
            w.WriteEndObject();
        }
        else if (staged) WriteStringMap(w, "process_types", droplet.ProcessTypes);
        else w.WriteNull("process_types");
        w.WriteStartObject("relationships");
        WriteToOne(w, "app", droplet.App.Guid);
        w.WriteEndObject();
        WriteMetadata(w, droplet.Metadata);
        w.WriteStartObject("links");
        WriteLink(w, "self", self);
        WriteLink(w, "app", app);
        WriteLink(w, "assign_current_droplet", app + "/relationships/current_droplet", "PATCH");
        WriteLink(w, "package", $"{api}/v3/packages/{droplet.PackageGuid}");
        if (staged) WriteLink(w, "download", self + "/download");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <param name="showCommand">false omits the <c>command</c> key entirely (CC never sends a placeholder)</param>
    public static void WriteTask(Utf8JsonWriter w, FakeTask task, string api, bool showCommand)
    {
        var self = $"{api}/v3/tasks/{task.Guid}";
        w.WriteStartObject();
        w.WriteString("guid", task.Guid);
        w.WriteNumber("sequence_id", task.SequenceId);
        w.WriteString("name", task.Name);
        if (showCommand) w.WriteString("command", task.Command);
        if (task.User is null) w.WriteNull("user");
        else w.WriteString("user", task.User);
        w.WriteString("state", task.State);
        w.WriteNumber("memory_in_mb", task.MemoryInMb);
        w.WriteNumber("disk_in_mb", task.DiskInMb);
        w.WriteNumber("log_rate_limit_in_bytes_per_second", task.LogRateLimitInBytesPerSecond);
        w.WriteStartObject("result");
        if (task.FailureReason is null) w.WriteNull("failure_reason");
        else w.WriteString("failure_reason", task.FailureReason);
        w.WriteEndObject();
        w.WriteString("droplet_guid", task.DropletGuid);
        WriteMetadata(w, task.Metadata);
        CcTimestamps.Write(w, CreatedAt, task.CreatedAtNs);
        CcTimestamps.Write(w, UpdatedAt, task.UpdatedAtNs);
        w.WriteStartObject("relationships");
        WriteToOne(w, "app", task.App.Guid);
        w.WriteEndObject();
        w.WriteStartObject("links");
        WriteLink(w, "self", self);
        WriteLink(w, "app", $"{api}/v3/apps/{task.App.Guid}");
        WriteLink(w, "cancel", self + "/actions/cancel", "POST");
        WriteLink(w, "droplet", $"{api}/v3/droplets/{task.DropletGuid}");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The <c>pagination</c> object: absolute hrefs whose sorted query repeats every given parameter.</summary>
    public static void WritePagination(Utf8JsonWriter w, string api, string path, ListQuery query, int totalResults)
    {
        var totalPages = Math.Max(1, (totalResults + query.PerPage - 1) / query.PerPage);
        w.WriteStartObject("pagination");
        w.WriteNumber("total_results", totalResults);
        w.WriteNumber("total_pages", totalPages);
        WriteLink(w, "first", PageHref(api, path, query, 1));
        WriteLink(w, "last", PageHref(api, path, query, totalPages));
        if (query.Page < totalPages) WriteLink(w, "next", PageHref(api, path, query, query.Page + 1));
        else w.WriteNull("next");
        if (query.Page > 1) WriteLink(w, "previous", PageHref(api, path, query, query.Page - 1));
        else w.WriteNull("previous");
        w.WriteEndObject();
    }

    public static void WriteList<T>(Utf8JsonWriter w, string api, string path, ListQuery query, int total, IEnumerable<T> page, Action<Utf8JsonWriter, T> writeItem)
    {
        w.WriteStartObject();
        WritePagination(w, api, path, query, total);
        w.WriteStartArray("resources");
        foreach (var item in page) writeItem(w, item);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// The <c>included</c> object for these spaces: <c>spaces</c> and/or their <c>organizations</c>, each ordered by
    /// creation then guid, as CC's include decorators query them (nothing when neither is asked for).
    /// </summary>
    public static void WriteIncluded(Utf8JsonWriter w, IEnumerable<Space> spaces, string api, bool withSpaces, bool withOrganizations)
    {
        if (!withSpaces && !withOrganizations) return;
        var distinct = spaces.Distinct().OrderBy(s => s.CreatedAtNs).ThenBy(s => s.Guid, StringComparer.Ordinal).ToList();
        w.WriteStartObject("included");
        if (withSpaces)
        {
            w.WriteStartArray("spaces");
            foreach (var space in distinct) WriteSpace(w, space, api);
            w.WriteEndArray();
        }
        if (withOrganizations)
        {
            w.WriteStartArray("organizations");
            foreach (var org in distinct.Select(s => s.Organization).Distinct().OrderBy(o => o.CreatedAtNs).ThenBy(o => o.Guid, StringComparer.Ordinal))
                WriteOrganization(w, org, api);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static void WriteLink(Utf8JsonWriter w, string name, string href, string? method = null)
    {
        w.WriteStartObject(name);
        w.WriteString("href", href);
        if (method is not null) w.WriteString("method", method);
        w.WriteEndObject();
    }

    private static string PageHref(string api, string path, ListQuery query, int page)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in query.Given) parameters[key] = value;
        parameters["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        parameters["per_page"] = query.PerPage.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return api + path + "?" + string.Join("&", parameters.Select(p => FormEncoding.Encode(p.Key) + "=" + FormEncoding.Encode(p.Value)));
    }

    private static void WriteToOne(Utf8JsonWriter w, string name, string? guid)
    {
        w.WriteStartObject(name);
        if (guid is null)
        {
            w.WriteNull("data");
        }
        else
        {
            w.WriteStartObject("data");
            w.WriteString("guid", guid);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter w, ResourceMetadata metadata)
    {
        w.WriteStartObject("metadata");
        WriteStringMap(w, "labels", metadata.LabelsView);
        WriteStringMap(w, "annotations", metadata.AnnotationsView);
        w.WriteEndObject();
    }

    private static void WriteStringMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map) w.WriteString(key, value);
        w.WriteEndObject();
    }
}
