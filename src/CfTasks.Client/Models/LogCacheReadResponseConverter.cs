using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CfTasks.Client.Models;

/// <summary>
/// Reads a log-cache page (<c>{"envelopes":{"batch":[…]}}</c>) straight into <see cref="Envelope"/>s.
/// </summary>
/// <remarks>
/// A task log of 100,000 lines is 100 pages of 1000 envelopes, each carrying nine <c>tags</c>, an empty
/// <c>deprecated_tags</c> and a base64 payload; generic deserialisation built a dictionary and eleven strings per envelope
/// only to read two tags. This reader keeps the fields CfTasks uses, skips the rest without allocating, decodes the
/// payload through one pooled buffer, and reuses the strings that repeat on every envelope of a page (source id, source
/// type, instance, stream). The wire rules are those of docs/reference: the timestamp is a string (a number is accepted),
/// unpopulated fields are present (empty strings, empty objects), non-LOG envelopes have no <c>log</c>.
/// </remarks>
internal sealed class LogCacheReadResponseConverter : JsonConverter<LogCacheReadResponse>
{
    /// <inheritdoc />
    public override LogCacheReadResponse? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartObject, "a log-cache read answer");
        EnvelopeBatch? envelopes = null;
        if (ReadMember(ref reader, "envelopes"u8))
        {
            envelopes = ReadEnvelopes(ref reader);
            SkipRest(ref reader);
        }
        return new LogCacheReadResponse(envelopes);
    }

    /// <summary>Writing is not needed by the client (the fake writes its own bodies).</summary>
    public override void Write(Utf8JsonWriter writer, LogCacheReadResponse value, JsonSerializerOptions options) =>
        throw new NotSupportedException("CfTasks only reads log-cache answers.");

    private static EnvelopeBatch? ReadEnvelopes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartObject, "'envelopes'");
        List<Envelope>? batch = null;
        if (ReadMember(ref reader, "batch"u8))
        {
            batch = ReadBatch(ref reader);
            SkipRest(ref reader);
        }
        return new EnvelopeBatch(batch);
    }

    // Runs for every envelope of every page (100,000 times for a big task log): compiled optimised at first use
    // rather than starting as unoptimised, instrumented code.
#if NET // tiered compilation does not exist on .NET Framework
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private static List<Envelope>? ReadBatch(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartArray, "'batch'");
        var batch = new List<Envelope>();
        var strings = new RepeatedStrings();
        var payload = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                batch.Add(ReadEnvelope(ref reader, strings, ref payload));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
        return batch;
    }

#if NET // tiered compilation does not exist on .NET Framework
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private static Envelope ReadEnvelope(ref Utf8JsonReader reader, RepeatedStrings strings, ref byte[] payload)
    {
        Expect(ref reader, JsonTokenType.StartObject, "an envelope");
        long timestamp = 0;
        string? sourceId = null, instanceId = null;
        string? sourceType = null, tagInstance = null, oldSourceType = null, oldInstance = null;
        EnvelopeLog? log = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestamp = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("source_id"u8))
            {
                reader.Read();
                sourceId = strings.Get(ref reader);
            }
            else if (reader.ValueTextEquals("instance_id"u8))
            {
                reader.Read();
                instanceId = strings.Get(ref reader);
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                reader.Read();
                ReadTags(ref reader, strings, typed: false, ref sourceType, ref tagInstance);
            }
            else if (reader.ValueTextEquals("deprecated_tags"u8))
            {
                reader.Read();
                ReadTags(ref reader, strings, typed: true, ref oldSourceType, ref oldInstance);
            }
            else if (reader.ValueTextEquals("log"u8))
            {
                reader.Read();
                log = ReadLog(ref reader, strings, ref payload);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new Envelope(timestamp, sourceId, instanceId,
            string.IsNullOrEmpty(sourceType) ? oldSourceType : sourceType,
            string.IsNullOrEmpty(tagInstance) ? oldInstance : tagInstance,
            log);
    }

    /// <summary>
    /// <c>source_type</c> and <c>instance_id</c> of <c>tags</c> (string values) or <c>deprecated_tags</c> (typed values:
    /// <c>{"text":"…"}</c>, or a plain string); every other tag is skipped.
    /// </summary>
    private static void ReadTags(ref Utf8JsonReader reader, RepeatedStrings strings, bool typed, ref string? sourceType, ref string? instance)
    {
        if (reader.TokenType == JsonTokenType.Null) return;
        Expect(ref reader, JsonTokenType.StartObject, typed ? "'deprecated_tags'" : "'tags'");
        while (NextProperty(ref reader))
        {
            var isSourceType = reader.ValueTextEquals("source_type"u8);
            var isInstance = !isSourceType && reader.ValueTextEquals("instance_id"u8);
            reader.Read();
            if (!isSourceType && !isInstance)
            {
                reader.Skip();
                continue;
            }
            var value = reader.TokenType switch
            {
                JsonTokenType.String => strings.Get(ref reader),
                JsonTokenType.StartObject when typed => ReadTypedText(ref reader, strings),
                _ => SkipAndNull(ref reader),
            };
            if (isSourceType) sourceType = value;
            else instance = value;
        }
    }

    /// <summary>A typed tag value: the string of its <c>text</c> member (other kinds are not names).</summary>
    private static string? ReadTypedText(ref Utf8JsonReader reader, RepeatedStrings strings)
    {
        string? text = null;
        while (NextProperty(ref reader))
        {
            var isText = reader.ValueTextEquals("text"u8);
            reader.Read();
            if (isText && reader.TokenType == JsonTokenType.String) text = strings.Get(ref reader);
            else reader.Skip();
        }
        return text;
    }

    private static EnvelopeLog? ReadLog(ref Utf8JsonReader reader, RepeatedStrings strings, ref byte[] payload)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartObject, "'log'");
        var text = "";
        string? type = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                text = reader.TokenType == JsonTokenType.Null ? "" : DecodePayload(ref reader, ref payload);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.String ? strings.Get(ref reader) : SkipAndNull(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new EnvelopeLog(text, type);
    }

    /// <summary>
    /// The base64 payload as UTF-8 text without its trailing line breaks. Invalid UTF-8 becomes U+FFFD rather than failing
    /// the read (the executor splits long lines on byte boundaries, so a split multi-byte character is possible).
    /// </summary>
    private static string DecodePayload(ref Utf8JsonReader reader, ref byte[] buffer)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"A log payload is {reader.TokenType}, not a base64 string.");
        int length;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var base64 = reader.ValueSpan;
            var needed = Base64.GetMaxDecodedFromUtf8Length(base64.Length);
            if (buffer.Length < needed)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = ArrayPool<byte>.Shared.Rent(needed);
            }
            if (Base64.DecodeFromUtf8(base64, buffer, out _, out length) != OperationStatus.Done)
                throw new JsonException("A log payload is not valid base64.");
        }
        else
        {
            byte[] bytes;
            try
            {
                bytes = reader.GetBytesFromBase64();
            }
            catch (FormatException error)
            {
                throw new JsonException("A log payload is not valid base64.", error);
            }
            buffer = SwapIn(buffer, bytes);
            length = bytes.Length;
        }
        while (length > 0 && buffer[length - 1] is (byte)'\n' or (byte)'\r') length--;
        return length == 0 ? "" : Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static byte[] SwapIn(byte[] pooled, byte[] bytes)
    {
        if (pooled.Length >= bytes.Length)
        {
            bytes.CopyTo(pooled, 0);
            return pooled;
        }
        ArrayPool<byte>.Shared.Return(pooled);
        var larger = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(larger, 0);
        return larger;
    }

    private static long ReadInt64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number)) return number;
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!reader.ValueIsEscaped && !reader.HasValueSequence && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var used) && used == reader.ValueSpan.Length)
                return parsed;
            if (long.TryParse(reader.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out parsed))
                return parsed;
        }
        throw new JsonException("An envelope timestamp is not an int64 (nanoseconds since the Unix epoch).");
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("The log-cache answer ends early.");
        if (reader.TokenType == JsonTokenType.EndObject) return false;
        if (reader.TokenType != JsonTokenType.PropertyName) throw new JsonException($"Expected a property name, found {reader.TokenType}.");
        return true;
    }

    /// <summary>
    /// Moves to the value of the member <paramref name="name"/> of the current object, skipping the members before it;
    /// false when the object has no such member (the reader is then at the object's end).
    /// </summary>
    private static bool ReadMember(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(name))
            {
                reader.Read();
                return true;
            }
            SkipValue(ref reader);
        }
        return false;
    }

    /// <summary>After a member's value: skips the object's remaining members.</summary>
    private static void SkipRest(ref Utf8JsonReader reader)
    {
        while (NextProperty(ref reader)) SkipValue(ref reader);
    }

    /// <summary>At a property name: skips its value.</summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static string? SkipAndNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string what)
    {
        if (reader.TokenType != token) throw new JsonException($"Expected {what} to be {token}, found {reader.TokenType}.");
    }

    /// <summary>
    /// The few string values that repeat on every envelope of a page (source id, source type, instance, stream), kept as
    /// their UTF-8 bytes so a repeat costs a comparison instead of a new string.
    /// </summary>
    private sealed class RepeatedStrings
    {
        private const int Capacity = 16;
        private readonly byte[][] _utf8 = new byte[Capacity][];
        private readonly string[] _strings = new string[Capacity];
        private int _count;

        public string? Get(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                return null;
            }
            if (reader.ValueIsEscaped || reader.HasValueSequence) return reader.GetString();
            var value = reader.ValueSpan;
            for (var i = 0; i < _count; i++)
                if (value.SequenceEqual(_utf8[i])) return _strings[i];
            var text = reader.GetString()!;
            if (_count < Capacity && value.Length <= 128)
            {
                _utf8[_count] = value.ToArray();
                _strings[_count++] = text;
            }
            return text;
        }
    }
}
