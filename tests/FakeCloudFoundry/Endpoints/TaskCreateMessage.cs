using System.Text.Json;
using FakeCloudFoundry.Http;

namespace FakeCloudFoundry.Endpoints;

/// <summary>
/// The body of <c>POST /v3/apps/{guid}/tasks</c>, validated like CC's TaskCreateMessage (422 with every problem,
/// joined by ", ", in CC's validator order: metadata, unknown fields, then the fields).
/// </summary>
internal sealed class TaskCreateMessage
{
    public const int MaxCommandLength = 4096;

    private static readonly string[] Fields =
        ["name", "command", "disk_in_mb", "memory_in_mb", "log_rate_limit_in_bytes_per_second", "droplet_guid", "template", "user", "metadata"];

    public string? Name { get; private set; }
    public string? Command { get; private set; }
    public int? MemoryInMb { get; private set; }
    public int? DiskInMb { get; private set; }
    public long? LogRateLimit { get; private set; }
    public string? DropletGuid { get; private set; }
    public string? TemplateProcessGuid { get; private set; }
    public string? User { get; private set; }
    public MetadataMessage? Metadata { get; private set; }

    public static TaskCreateMessage Parse(JsonElement body, out CcError? error)
    {
        var message = new TaskCreateMessage();
        var problems = new List<string>();
        message.Metadata = MetadataMessage.Read(body, problems);
        var unknown = body.EnumerateObject().Select(p => p.Name).Where(n => !Fields.Contains(n)).ToList();
        if (unknown.Count > 0) problems.Add("Unknown field(s): " + string.Join(", ", unknown.Select(n => $"'{n}'")));
        else message.Read(body, problems);
        error = problems.Count == 0 ? null : CcError.Unprocessable(string.Join(", ", problems));
        return message;
    }

    private void Read(JsonElement body, List<string> problems)
    {
        Name = OptionalString(body, "name", "Name", problems);
        if (Name is { Length: 0 }) problems.Add("Name must be between 1 and 255 characters");
        Command = OptionalString(body, "command", "Command", problems);
        if (Command is { Length: > MaxCommandLength }) problems.Add($"command must be shorter than {MaxCommandLength + 1} characters");
        MemoryInMb = (int?)OptionalInteger(body, "memory_in_mb", "Memory in mb", minimum: 1, problems);
        DiskInMb = (int?)OptionalInteger(body, "disk_in_mb", "Disk in mb", minimum: 1, problems);
        LogRateLimit = OptionalInteger(body, "log_rate_limit_in_bytes_per_second", "Log rate limit in bytes per second", minimum: -1, problems);
        DropletGuid = OptionalString(body, "droplet_guid", "Droplet guid", problems);
        if (DropletGuid is { Length: 0 or > 200 }) problems.Add("Droplet guid must be between 1 and 200 characters");
        if (body.TryGetProperty("template", out var template))
        {
            if (template.ValueKind == JsonValueKind.Object && template.TryGetProperty("process", out var process) &&
                process.ValueKind == JsonValueKind.Object && process.TryGetProperty("guid", out var guid) && guid.ValueKind == JsonValueKind.String)
                TemplateProcessGuid = guid.GetString();
            else problems.Add("Template process guid must be a string");
        }
        if (Command is null && TemplateProcessGuid is null && !body.TryGetProperty("template", out _))
            problems.Add("Command No command or template provided");
        User = OptionalString(body, "user", "User", problems);
        if (User is not null and not "vcap") problems.Add($"User '{User}' is not allowed. Allowed users: 'vcap'");
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
}
