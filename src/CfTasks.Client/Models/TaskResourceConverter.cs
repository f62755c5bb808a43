using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CfTasks.Client.Models;

/// <summary>
/// Reads a CC V3 task resource straight into a <see cref="TaskResource"/>, in one pass, with the same results as the
/// generated serializer (snake_case names, exact case; unknown members skipped, <c>links</c> among them; a member that
/// is missing or null leaves null, and null where a number or time is required is an error).
/// </summary>
/// <remarks>
/// A listing reads 5000 of these per page, and the generic object reader was a listing's largest cost: it collects the
/// constructor's fourteen arguments boxed in an array, looks each member up by name, and in a fresh process runs as
/// unoptimised, instrumented code for much of a long listing. This reader is compiled optimised at first use and shares
/// the strings that repeat from task to task (the state, mostly). The page reader hands each resource of a page to it
/// directly (PagedReader); single tasks (<c>GET</c>, <c>POST</c>, <c>PATCH</c>) come through the serializer as before.
/// </remarks>
internal sealed class TaskResourceConverter : JsonConverter<TaskResource>
{
    /// <inheritdoc />
#if NET // tiered compilation does not exist on .NET Framework
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public override TaskResource? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        StartObject(ref reader, "a task");
        string? guid = null, name = null, command = null, state = null, dropletGuid = null, user = null;
        int sequenceId = 0;
        int? memory = null, disk = null;
        long? logRate = null;
        TaskResult? result = null;
        Metadata? metadata = null;
        DateTime createdAt = default, updatedAt = default;
        TaskRelationships? relationships = null;
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("guid"u8)) guid = Text(ref reader);
            else if (reader.ValueTextEquals("sequence_id"u8)) sequenceId = Int32(ref reader, "sequence_id") ?? throw Required("sequence_id");
            else if (reader.ValueTextEquals("name"u8)) name = Text(ref reader);
            else if (reader.ValueTextEquals("command"u8)) command = Text(ref reader);
            else if (reader.ValueTextEquals("user"u8)) user = Text(ref reader);
            else if (reader.ValueTextEquals("state"u8)) state = State(ref reader);
            else if (reader.ValueTextEquals("memory_in_mb"u8)) memory = Int32(ref reader, "memory_in_mb");
            else if (reader.ValueTextEquals("disk_in_mb"u8)) disk = Int32(ref reader, "disk_in_mb");
            else if (reader.ValueTextEquals("log_rate_limit_in_bytes_per_second"u8)) logRate = Int64(ref reader, "log_rate_limit_in_bytes_per_second");
            else if (reader.ValueTextEquals("result"u8)) result = Result(ref reader);
            else if (reader.ValueTextEquals("droplet_guid"u8)) dropletGuid = Text(ref reader);
            else if (reader.ValueTextEquals("metadata"u8)) metadata = MetadataOf(ref reader);
            else if (reader.ValueTextEquals("created_at"u8)) createdAt = Time(ref reader, "created_at");
            else if (reader.ValueTextEquals("updated_at"u8)) updatedAt = Time(ref reader, "updated_at");
            else if (reader.ValueTextEquals("relationships"u8)) relationships = Relationships(ref reader);
            else Skip(ref reader);
        }
        return new TaskResource(guid!, sequenceId, name!, command, state!, memory, disk, logRate, result, dropletGuid, metadata, createdAt, updatedAt, relationships, user);
    }

    /// <summary>The client sends no task resources (requests have their own types).</summary>
    public override void Write(Utf8JsonWriter writer, TaskResource value, JsonSerializerOptions options) =>
        throw new NotSupportedException("CfTasks only reads task resources.");

    /// <summary>Checks the reader is at the start of an object (<paramref name="what"/> names it in the error).</summary>
    private static void StartObject(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"Expected {what} to be an object, found {reader.TokenType}.");
    }

    /// <summary>Moves to the next member's name; false at the end of the object.</summary>
    private static bool NextMember(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("The task ends early.");
        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new JsonException($"Expected a member name, found {reader.TokenType}."),
        };
    }

    /// <summary>At a member's name: moves to its value.</summary>
    private static void ToValue(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("The task ends inside a member.");
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        ToValue(ref reader);
        reader.Skip();
    }

    private static string? Text(ref Utf8JsonReader reader)
    {
        ToValue(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"Expected a string, found {reader.TokenType}."),
        };
    }

    /// <summary>The state, as one shared string per known state (every task of a listing carries one).</summary>
    private static string? State(ref Utf8JsonReader reader)
    {
        ToValue(ref reader);
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("SUCCEEDED"u8)) return "SUCCEEDED";
            if (reader.ValueTextEquals("FAILED"u8)) return "FAILED";
            if (reader.ValueTextEquals("RUNNING"u8)) return "RUNNING";
            if (reader.ValueTextEquals("PENDING"u8)) return "PENDING";
            if (reader.ValueTextEquals("CANCELING"u8)) return "CANCELING";
            return reader.GetString();
        }
        if (reader.TokenType == JsonTokenType.Null) return null;
        throw new JsonException($"Expected the state to be a string, found {reader.TokenType}.");
    }

    private static int? Int32(ref Utf8JsonReader reader, string member)
    {
        ToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value)) return value;
        throw new JsonException($"Expected '{member}' to be a 32-bit integer, found {reader.TokenType}.");
    }

    private static long? Int64(ref Utf8JsonReader reader, string member)
    {
        ToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)) return value;
        throw new JsonException($"Expected '{member}' to be a 64-bit integer, found {reader.TokenType}.");
    }

    /// <summary>An ISO 8601 time, read as the serializer reads a <see cref="DateTime"/> (a trailing Z gives UTC).</summary>
    private static DateTime Time(ref Utf8JsonReader reader, string member)
    {
        ToValue(ref reader);
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out var value)) return value;
        throw new JsonException(reader.TokenType == JsonTokenType.Null ? Required(member).Message : $"'{member}' is not an ISO 8601 time.");
    }

    private static JsonException Required(string member) => new($"'{member}' is null; a task always has one.");

    private static TaskResult? Result(ref Utf8JsonReader reader) =>
        OpenObject(ref reader, "'result'") ? new TaskResult(OnlyMember(ref reader, "failure_reason"u8, Text)) : null;

    private static Metadata? MetadataOf(ref Utf8JsonReader reader)
    {
        if (!OpenObject(ref reader, "'metadata'")) return null;
        Dictionary<string, string?>? labels = null, annotations = null;
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("labels"u8)) labels = Map(ref reader);
            else if (reader.ValueTextEquals("annotations"u8)) annotations = Map(ref reader);
            else Skip(ref reader);
        }
        return new Metadata(labels, annotations);
    }

    /// <summary>A labels or annotations object: string (or null) values by key; a repeated key keeps its last value.</summary>
    private static Dictionary<string, string?>? Map(ref Utf8JsonReader reader)
    {
        if (!OpenObject(ref reader, "labels or annotations")) return null;
        var map = new Dictionary<string, string?>();
        while (NextMember(ref reader))
        {
            var key = reader.GetString()!;
            map[key] = Text(ref reader);
        }
        return map;
    }

    private static TaskRelationships? Relationships(ref Utf8JsonReader reader) =>
        OpenObject(ref reader, "'relationships'") ? new TaskRelationships(OnlyMember<Relationship>(ref reader, "app"u8, RelationshipOf)) : null;

    /// <summary><c>{"data":{"guid":…}}</c>; <c>data</c> may be null.</summary>
    private static Relationship? RelationshipOf(ref Utf8JsonReader reader) =>
        OpenObject(ref reader, "a relationship") ? new Relationship(OnlyMember<RelationshipData>(ref reader, "data"u8, DataOf)) : null;

    private static RelationshipData? DataOf(ref Utf8JsonReader reader) =>
        OpenObject(ref reader, "a relationship's data") ? new RelationshipData(OnlyMember(ref reader, "guid"u8, Text)!) : null;

    /// <summary>At a member's name: moves to its value; false when that is null, else checks it is an object (<paramref name="what"/> names it in the error).</summary>
    private static bool OpenObject(ref Utf8JsonReader reader, string what)
    {
        ToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null) return false;
        StartObject(ref reader, what);
        return true;
    }

    private delegate T? ValueReader<T>(ref Utf8JsonReader reader);

    /// <summary>Inside an object: the value of its member <paramref name="name"/> (the last, if repeated; null when missing), every other member skipped.</summary>
    private static T? OnlyMember<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, ValueReader<T> read) where T : class
    {
        T? value = null;
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals(name)) value = read(ref reader);
            else Skip(ref reader);
        }
        return value;
    }
}
