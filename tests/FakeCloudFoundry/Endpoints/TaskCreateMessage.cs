using System.Text.Json;
using FakeCloudFoundry.Http;

namespace FakeCloudFoundry.Endpoints;

/// <summary>The body of <c>POST /v3/apps/{guid}/tasks</c>, validated like CC's TaskCreateMessage (422 on errors).</summary>
internal sealed class TaskCreateMessage
{
    public const int MaxCommandLength = 4096;

    public string? Name { get; private set; }
    public string? Command { get; private set; }
    public int? MemoryInMb { get; private set; }
    public int? DiskInMb { get; private set; }
    public long? LogRateLimit { get; private set; }
    public string? DropletGuid { get; private set; }
    public string? TemplateProcessGuid { get; private set; }
    public string? User { get; private set; }
    public Dictionary<string, string>? Labels { get; private set; }
    public Dictionary<string, string>? Annotations { get; private set; }

    public static TaskCreateMessage Parse(JsonElement body, string[] allowedFields, out CcError? error)
    {
        var message = new TaskCreateMessage();
        var unknown = body.EnumerateObject().Select(p => p.Name).Where(n => !allowedFields.Contains(n)).ToList();
        error = unknown.Count > 0
            ? CcError.Unprocessable("Unknown field(s): " + string.Join(", ", unknown.Select(n => $"'{n}'")))
            : message.Read(body);
        return message;
    }

    private CcError? Read(JsonElement body)
    {
        var problems = new List<string>();
        Name = OptionalString(body, "name", "Name", problems);
        if (Name is { Length: 0 }) problems.Add("Name must be between 1 and 255 characters");
        Command = OptionalString(body, "command", "Command", problems);
        if (Command is { Length: > MaxCommandLength }) problems.Add($"command must be shorter than {MaxCommandLength + 1} characters");
        MemoryInMb = (int?)OptionalInteger(body, "memory_in_mb", "Memory in mb", minimum: 1, problems);
        DiskInMb = (int?)OptionalInteger(body, "disk_in_mb", "Disk in mb", minimum: 1, problems);
        LogRateLimit = OptionalInteger(body, "log_rate_limit_in_bytes_per_second", "Log rate limit in bytes per second", minimum: -1, problems);
        DropletGuid = OptionalString(body, "droplet_guid", "Droplet guid", problems);
        User = OptionalString(body, "user", "User", problems);
        if (User is not null and not "vcap") problems.Add($"User '{User}' is not allowed. Allowed users: 'vcap'");
        if (body.TryGetProperty("template", out var template))
        {
            if (template.ValueKind == JsonValueKind.Object && template.TryGetProperty("process", out var process) &&
                process.ValueKind == JsonValueKind.Object && process.TryGetProperty("guid", out var guid) && guid.ValueKind == JsonValueKind.String)
                TemplateProcessGuid = guid.GetString();
            else problems.Add("Template process guid must be a string");
        }
        if (body.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            Labels = StringMap(metadata, "labels");
            Annotations = StringMap(metadata, "annotations");
        }
        return problems.Count == 0 ? null : CcError.Unprocessable(string.Join(", ", problems));
    }

    private static string? OptionalString(JsonElement body, string key, string label, List<string> problems)
    {
        if (!body.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        problems.Add($"{label} must be a string");
        return null;
    }

    private static long? OptionalInteger(JsonElement body, string key, string label, long minimum, List<string> problems)
    {
        if (!body.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            problems.Add($"{label} is not a number");
            return null;
        }
        if (number < minimum)
        {
            problems.Add(minimum == 1 ? $"{label} must be greater than 0" : $"{label} must be greater than {minimum - 1}");
            return null;
        }
        return number;
    }

    private static Dictionary<string, string>? StringMap(JsonElement metadata, string name)
    {
        if (!metadata.TryGetProperty(name, out var map) || map.ValueKind != JsonValueKind.Object) return null;
        return map.EnumerateObject()
            .Where(e => e.Value.ValueKind == JsonValueKind.String)
            .ToDictionary(e => e.Name, e => e.Value.GetString()!, StringComparer.Ordinal);
    }
}
