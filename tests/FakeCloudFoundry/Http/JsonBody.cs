using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FakeCloudFoundry.Http;

/// <summary>Builds JSON bodies with a Utf8JsonWriter (compact, unescaped '+', '&lt;' etc. like Ruby/Go encoders).</summary>
internal static class JsonBody
{
    public const string ContentType = "application/json; charset=utf-8";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static ReadOnlyMemory<byte> Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        return buffer.WrittenMemory;
    }

    /// <summary>Writes into a pooled buffer; the caller disposes the writer once the body has been sent.</summary>
    public static PooledBufferWriter BuildPooled(Action<Utf8JsonWriter> write, int capacityHint = 4096)
    {
        var buffer = new PooledBufferWriter(capacityHint);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        return buffer;
    }

    public static async Task WriteAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, string contentType = ContentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write) =>
        WriteAsync(context, status, Build(write));
}
