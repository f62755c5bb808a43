using System.Text.Json;
using System.Text.Json.Serialization;
using CfTasks.Client.Models;

namespace CfTasks.Client.Tests;

/// <summary>
/// The task resource reader (TaskResourceConverter) against the real examples in tests/reference/fixtures, and against
/// what the generated serializer makes of the same JSON: a record of the same shape without the converter, so any
/// difference in what is kept, skipped, defaulted or refused shows up here.
/// </summary>
public sealed class TaskResourceConverterTests
{
    [Fact]
    public void The_reference_task_reads_whole()
    {
        var task = Read(File.ReadAllText(CfTasks.Testing.ReferenceFiles.Fixture("task.json")));

        Assert.Equal("d5cc22ec-99a3-4e6a-af91-a44b4ab7b6fa", task.Guid);
        Assert.Equal(1, task.SequenceId);
        Assert.Equal("migrate", task.Name);
        Assert.Equal("rake db:migrate", task.Command);
        Assert.Equal("vcap", task.User);
        Assert.Equal("RUNNING", task.State);
        Assert.Equal(512, task.MemoryInMb);
        Assert.Equal(1024, task.DiskInMb);
        Assert.Equal(1024, task.LogRateLimitInBytesPerSecond);
        Assert.NotNull(task.Result);
        Assert.Null(task.Result!.FailureReason);
        Assert.Equal("740ebd2b-162b-469a-bd72-3edb96fabd9a", task.DropletGuid);
        Assert.Empty(task.Metadata!.Labels!);
        Assert.Empty(task.Metadata.Annotations!);
        Assert.Equal(new DateTime(2016, 5, 4, 17, 0, 41, DateTimeKind.Utc), task.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, task.CreatedAt.Kind);
        Assert.Equal(new DateTime(2016, 5, 4, 17, 0, 42, DateTimeKind.Utc), task.UpdatedAt);
        Assert.Equal("ccc25a0f-c8f4-4b39-9f1b-de9f328d0ee5", task.Relationships!.App!.Data!.Guid);
    }

    [Fact]
    public void The_reference_page_reads_as_the_generated_serializer_reads_it()
    {
        var json = File.ReadAllText(CfTasks.Testing.ReferenceFiles.Fixture("tasks-page-1.json"));
        var ours = JsonSerializer.Deserialize(json, CfJsonContext.Default.PageTaskResource)!.Resources!;
        var generic = JsonSerializer.Deserialize(json, GenericContext.Default.GenericPage)!.Resources!;

        Assert.Equal(generic.Count, ours.Count);
        Assert.NotEmpty(ours);
        Assert.Equal(generic.Select(Describe), ours.Select(Describe));
    }

    public static TheoryData<string> Variants => new()
    {
        // members missing, nulls everywhere they may be, another order, unknown members of every kind
        """{"guid":"g1","sequence_id":7,"name":"n","state":"FAILED","created_at":"2026-11-30T14:05:09Z","updated_at":"2026-11-30T14:06:10Z"}""",
        """{"updated_at":"2026-11-30T14:06:10Z","relationships":{"app":{"data":null}},"result":null,"metadata":null,"command":null,"droplet_guid":null,"memory_in_mb":null,"disk_in_mb":null,"log_rate_limit_in_bytes_per_second":null,"state":"PENDING","name":"n","sequence_id":1,"guid":"g2","created_at":"2026-11-30T14:05:09Z"}""",
        """{"guid":"g3","future":{"a":[1,2,{"b":null}]},"sequence_id":2,"name":"n","state":"CANCELING","user":"vcap","created_at":"2026-11-30T14:05:09.123Z","updated_at":"2026-11-30T14:05:09Z","links":{"self":{"href":"https://x/v3/tasks/g3"}},"relationships":{"app":{"data":{"guid":"a","extra":1},"links":{}},"space":{"data":{"guid":"s"}}}}""",
        // escapes in values and member names; a state CfTasks does not know; label and annotation values, null included
        """{"guid":"g4","sequence_id":3,"name":"caf\u00e9 \"x\"","comm\u0061nd":"echo \\\"hi\\\"","state":"SOMETHING_NEW","result":{"failure_reason":"Exited with status 3","other":true},"metadata":{"labels":{"env":"prod","gone":null},"annotations":{"note":"a\nb"},"other":{}},"created_at":"2026-11-30T14:05:09+01:00","updated_at":"2026-11-30T14:05:09Z"}""",
        // a repeated member keeps its last value; large numbers
        """{"guid":"old","guid":"g5","sequence_id":2147483647,"name":"n","state":"SUCCEEDED","memory_in_mb":0,"log_rate_limit_in_bytes_per_second":9007199254740993,"created_at":"2026-11-30T14:05:09Z","updated_at":"2026-11-30T14:05:09Z"}""",
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_variant_reads_as_the_generated_serializer_reads_it(string json)
    {
        var generic = JsonSerializer.Deserialize(json, GenericContext.Default.GenericTask)!;

        Assert.Equal(Describe(generic), Describe(Read(json)));
    }

    public static TheoryData<string> Refused => new()
    {
        """{"guid":"g","sequence_id":null,"created_at":"2026-11-30T14:05:09Z","updated_at":"2026-11-30T14:05:09Z"}""",
        """{"guid":"g","sequence_id":1,"memory_in_mb":"512","created_at":"2026-11-30T14:05:09Z","updated_at":"2026-11-30T14:05:09Z"}""",
        """{"guid":"g","sequence_id":1,"created_at":"yesterday","updated_at":"2026-11-30T14:05:09Z"}""",
        """{"guid":"g","sequence_id":1,"created_at":null,"updated_at":"2026-11-30T14:05:09Z"}""",
        """{"guid":17,"sequence_id":1,"created_at":"2026-11-30T14:05:09Z","updated_at":"2026-11-30T14:05:09Z"}""",
        """{"guid":"g","metadata":{"labels":{"a":1}},"created_at":"2026-11-30T14:05:09Z","updated_at":"2026-11-30T14:05:09Z"}""",
        """{"guid":"g","sequence_id":1.5,"created_at":"2026-11-30T14:05:09Z","updated_at":"2026-11-30T14:05:09Z"}""",
        """["not","a","task"]""",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_the_generated_serializer_refuses_is_refused_with_a_JsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, GenericContext.Default.GenericTask));
        Assert.ThrowsAny<JsonException>(() => Read(json));
    }

    [Fact]
    public void Null_reads_as_no_task()
    {
        Assert.Null(JsonSerializer.Deserialize("null", CfJsonContext.Default.TaskResource));
    }

    private static TaskResource Read(string json) => JsonSerializer.Deserialize(json, CfJsonContext.Default.TaskResource)!;

    private static string Describe(TaskResource t) => Describe(t.Guid, t.SequenceId, t.Name, t.Command, t.State, t.MemoryInMb, t.DiskInMb,
        t.LogRateLimitInBytesPerSecond, t.Result is null ? "no result" : $"result {t.Result.FailureReason ?? "<null>"}", t.DropletGuid,
        t.Metadata is null ? null : (t.Metadata.Labels, t.Metadata.Annotations), t.CreatedAt, t.UpdatedAt,
        t.Relationships is null ? "no relationships" : t.Relationships.App is null ? "no app" : t.Relationships.App.Data is null ? "no data" : t.Relationships.App.Data.Guid, t.User);

    private static string Describe(GenericTask t) => Describe(t.Guid, t.SequenceId, t.Name, t.Command, t.State, t.MemoryInMb, t.DiskInMb,
        t.LogRateLimitInBytesPerSecond, t.Result is null ? "no result" : $"result {t.Result.FailureReason ?? "<null>"}", t.DropletGuid,
        t.Metadata is null ? null : (t.Metadata.Labels, t.Metadata.Annotations), t.CreatedAt, t.UpdatedAt,
        t.Relationships is null ? "no relationships" : t.Relationships.App is null ? "no app" : t.Relationships.App.Data is null ? "no data" : t.Relationships.App.Data.Guid, t.User);

    private static string Describe(string? guid, int sequenceId, string? name, string? command, string? state, int? memory, int? disk, long? logRate,
        string result, string? droplet, (Dictionary<string, string?>? Labels, Dictionary<string, string?>? Annotations)? metadata,
        DateTime created, DateTime updated, string? app, string? user) =>
        string.Join(" | ", guid ?? "<null>", sequenceId, name ?? "<null>", command ?? "<null>", state ?? "<null>", memory?.ToString() ?? "<null>",
            disk?.ToString() ?? "<null>", logRate?.ToString() ?? "<null>", result, droplet ?? "<null>",
            metadata is { } m ? $"labels {Map(m.Labels)} annotations {Map(m.Annotations)}" : "no metadata",
            created.ToString("o"), created.Kind, updated.ToString("o"), updated.Kind, app ?? "<null>", user ?? "<null>");

    private static string Map(Dictionary<string, string?>? map) =>
        map is null ? "<null>" : "{" + string.Join(",", map.Select(p => $"{p.Key}={p.Value ?? "<null>"}")) + "}";
}

/// <summary>A task resource of the same shape as <see cref="TaskResource"/>, read by the generated serializer alone.</summary>
public sealed record GenericTask(
    string Guid, int SequenceId, string Name, string? Command, string State, int? MemoryInMb, int? DiskInMb,
    long? LogRateLimitInBytesPerSecond, TaskResult? Result, string? DropletGuid, Metadata? Metadata,
    DateTime CreatedAt, DateTime UpdatedAt, TaskRelationships? Relationships, string? User = null);

/// <summary>A page of <see cref="GenericTask"/>.</summary>
public sealed record GenericPage(Pagination? Pagination, List<GenericTask>? Resources);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(GenericTask))]
[JsonSerializable(typeof(GenericPage))]
internal sealed partial class GenericContext : JsonSerializerContext;
