using System.Text;
using System.Text.Json;
using CfTasks.Client.Models;
using CfTasks.Client.Services;

namespace CfTasks.Client.Tests;

/// <summary>
/// Reading log-cache pages: the real example in tests/reference/fixtures/logcache-read.json and the wire variants
/// the reference names (numeric timestamps, typed deprecated_tags, non-LOG envelopes, escaped strings).
/// </summary>
public sealed class LogCacheReadResponseTests
{
    private const string AppGuid = "ccc25a0f-c8f4-4b39-9f1b-de9f328d0ee5";

    [Fact]
    public void The_reference_page_reads_as_the_lines_the_cf_cli_prints()
    {
        var entries = Entries(File.ReadAllText(ReferenceFixture("logcache-read.json")));

        Assert.Equal(9, entries.Count);
        Assert.All(entries, e => Assert.Equal(AppGuid, e.AppGuid));
        Assert.All(entries, e => Assert.Equal("0", e.InstanceId));
        Assert.Equal(["CELL", "CELL", "APP/TASK/migrate", "APP/TASK/migrate", "APP/TASK/migrate", "APP/TASK/migrate", "CELL", "CELL", "CELL"],
            entries.Select(e => e.SourceType));
        Assert.Equal("Running database migrations", entries[2].Message);
        Assert.Equal("ERR", entries[3].Stream);
        Assert.Equal("WARNING: schema cache is stale", entries[3].Message);
        Assert.Equal("Exit status 0", entries[5].Message);
        Assert.Equal("migrate", entries[5].TaskName);
        Assert.Null(entries[0].TaskName);
        Assert.Equal(1462381242402000000, entries[2].TimestampUnixNanoseconds);
        Assert.Equal(new DateTimeOffset(2016, 5, 4, 17, 0, 42, 402, TimeSpan.Zero), entries[2].Timestamp);
        Assert.Equal(TimeSpan.Zero, entries[2].Timestamp.Offset); // an instant, told in UTC
    }

    [Fact]
    public void A_numeric_timestamp_and_typed_deprecated_tags_are_read_like_the_current_form()
    {
        var json = Page(
            """{"timestamp":1700000000000000001,"source_id":"app","instance_id":"","deprecated_tags":{"source_type":{"text":"APP/TASK/old"},"instance_id":{"text":"3"},"other":{"integer":"5"}},"log":{"payload":"aGk=","type":"OUT"}}""",
            """{"timestamp":"1700000000000000002","source_id":"app","deprecated_tags":{"source_type":"APP/TASK/plain"},"tags":{},"log":{"payload":"aGk=","type":"ERR"}}""",
            """{"timestamp":"1700000000000000003","source_id":"app","deprecated_tags":{"source_type":{"text":"ignored"}},"tags":{"source_type":"APP/TASK/new"},"log":{"payload":"aGk="}}""");

        var entries = Entries(json);

        Assert.Equal([1700000000000000001, 1700000000000000002, 1700000000000000003], entries.Select(e => e.TimestampUnixNanoseconds));
        Assert.Equal(["APP/TASK/old", "APP/TASK/plain", "APP/TASK/new"], entries.Select(e => e.SourceType));
        Assert.Equal(["old", "plain", "new"], entries.Select(e => e.TaskName));
        Assert.Equal("3", entries[0].InstanceId);
        Assert.Equal(["OUT", "ERR", "OUT"], entries.Select(e => e.Stream));
    }

    [Fact]
    public void Envelopes_that_are_not_LOG_are_left_out_and_unknown_fields_are_skipped()
    {
        var json = Page(
            """{"timestamp":"1","source_id":"app","counter":{"name":"requests","delta":"1","total":"9"},"tags":{"source_type":"RTR"}}""",
            """{"timestamp":"2","source_id":"app","gauge":{"metrics":{"cpu":{"unit":"percentage","value":0.5}}}}""",
            """{"timestamp":"3","source_id":"app","future_field":[1,{"a":[true,null]}],"tags":{"source_type":"APP/TASK/t","extra":"x"},"log":{"payload":"b2s=","type":"OUT","future":1}}""");

        var entries = Entries(json);

        var only = Assert.Single(entries);
        Assert.Equal("ok", only.Message);
        Assert.Equal(3, only.TimestampUnixNanoseconds);
    }

    [Fact]
    public void Escaped_strings_decode_like_unescaped_ones()
    {
        // Base64 '+' and '/' may arrive escaped (\u002B, \/) from a JSON writer that escapes them; so may names.
        var text = "é>?ÿ";
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(text)); // w6k+P8O/
        Assert.Contains('+', base64);
        Assert.Contains('/', base64);
        var escaped = base64.Replace("+", "\\u002B").Replace("/", "\\/");
        var json = Page(
            $$$"""{"timestamp":"5","source_id":"app","tags":{"source_type":"APP\/TASK\/na\u006De"},"log":{"payload":"{{{escaped}}}","type":"\u0045RR"}}""",
            $$$"""{"\u0074imestamp":"6","source_id":"app","tags":{"source_type":"APP/TASK/name"},"log":{"payload":"{{{base64}}}","type":"ERR"}}""");

        var entries = Entries(json);

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(text, e.Message));
        Assert.All(entries, e => Assert.Equal("APP/TASK/name", e.SourceType));
        Assert.All(entries, e => Assert.Equal("ERR", e.Stream));
        Assert.Equal(6, entries[1].TimestampUnixNanoseconds);
    }

    [Fact]
    public void Trailing_line_breaks_are_trimmed_and_invalid_utf8_becomes_replacement_characters()
    {
        var json = Page(
            Line(1, "APP/TASK/t", Encoding.UTF8.GetBytes("one\r\n")),
            Line(2, "APP/TASK/t", [0x74, 0x77, 0x6F, 0xE2, 0x82]), // "two" + a multi-byte character cut in half
            Line(3, "APP/TASK/t", Encoding.UTF8.GetBytes("\n")),
            Line(4, "APP/TASK/t", Encoding.UTF8.GetBytes("line one\nline two\n")),
            """{"timestamp":"5","source_id":"app","tags":{"source_type":"APP/TASK/t"},"log":{"payload":null,"type":"OUT"}}""",
            """{"timestamp":"6","source_id":"app","tags":{"source_type":"APP/TASK/t"},"log":{"type":"OUT"}}""");

        var entries = Entries(json);

        Assert.Equal(["one", "two\uFFFD", "", "line one\nline two", "", ""], entries.Select(e => e.Message));
    }

    [Fact]
    public void Values_that_change_between_envelopes_are_never_mixed_up()
    {
        // Source types, instances and streams repeat on a page and are shared; 40 different ones in turn must each stay right.
        var lines = Enumerable.Range(0, 400).Select(i =>
            Line(i, $"APP/TASK/task-{i % 40}", Encoding.UTF8.GetBytes($"line {i}"), instance: (i % 3).ToString(), stream: i % 2 == 0 ? "OUT" : "ERR"));

        var entries = Entries(Page([.. lines]));

        Assert.Equal(400, entries.Count);
        for (var i = 0; i < 400; i++)
        {
            Assert.Equal($"APP/TASK/task-{i % 40}", entries[i].SourceType);
            Assert.Equal($"task-{i % 40}", entries[i].TaskName);
            Assert.Equal((i % 3).ToString(), entries[i].InstanceId);
            Assert.Equal(i % 2 == 0 ? "OUT" : "ERR", entries[i].Stream);
            Assert.Equal($"line {i}", entries[i].Message);
        }
    }

    [Fact]
    public void A_long_payload_reads_whole()
    {
        // The executor splits lines at 61,440 bytes: a payload far larger than the reader's first buffer.
        var text = string.Concat(Enumerable.Repeat("0123456789abcdéf", 61440 / 17));
        var entries = Entries(Page(Line(1, "APP/TASK/t", Encoding.UTF8.GetBytes(text)), Line(2, "APP/TASK/t", Encoding.UTF8.GetBytes("after"))));

        Assert.Equal([text, "after"], entries.Select(e => e.Message));
    }

    [Theory]
    [InlineData("""{"envelopes":{"batch":[{"timestamp":"1","log":{"payload":"!!notbase64","type":"OUT"}}]}}""")]
    [InlineData("""{"envelopes":{"batch":[{"timestamp":"yesterday","log":{"payload":"","type":"OUT"}}]}}""")]
    [InlineData("""{"envelopes":{"batch":[{"timestamp":"1","log":{"payload":42}}]}}""")]
    [InlineData("""{"envelopes":{"batch":{"timestamp":"1"}}}""")]
    [InlineData("""{"envelopes":[]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"envelopes":{"batch":[{"timestamp":"1","log":{"payload":"aGk=" """)]
    public void A_malformed_page_is_a_JSON_error(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, CfJsonContext.Default.LogCacheReadResponse));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"envelopes":{}}""")]
    [InlineData("""{"envelopes":{"batch":[]}}""")]
    [InlineData("""{"envelopes":null}""")]
    [InlineData("""{"envelopes":{"batch":null},"next_page_token":"x"}""")]
    public void An_empty_page_has_no_lines(string json)
    {
        Assert.Empty(Entries(json));
    }

    private static List<CfLogEntry> Entries(string json)
    {
        var page = JsonSerializer.Deserialize(json, CfJsonContext.Default.LogCacheReadResponse);
        return (page?.Envelopes?.Batch ?? []).Select(e => CfObjectMapper.ToLogEntry(e, "fallback-source")).OfType<CfLogEntry>().ToList();
    }

    private static string Page(params string[] envelopes) => $$$"""{"envelopes":{"batch":[{{{string.Join(",", envelopes)}}}]}}""" + "\n";

    private static string Line(long timestamp, string sourceType, byte[] payload, string instance = "0", string stream = "OUT") =>
        $$$"""{"timestamp":"{{{timestamp}}}","source_id":"app","instance_id":"{{{instance}}}","deprecated_tags":{},"tags":{"app_id":"app","source_type":"{{{sourceType}}}","instance_id":"{{{instance}}}"},"log":{"payload":"{{{Convert.ToBase64String(payload)}}}","type":"{{{stream}}}"}}""";

    /// <summary>A file of the repository's copy of the reference fixtures (tests/reference/fixtures).</summary>
    private static string ReferenceFixture(string name) => CfTasks.Testing.ReferenceFiles.Fixture(name);
}
