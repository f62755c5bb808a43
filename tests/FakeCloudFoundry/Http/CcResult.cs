using System.Text.Json;

namespace FakeCloudFoundry.Http;

/// <summary>A finished CC answer, built under the state lock and written after it is released.
/// <see cref="Lease"/> (when set) owns the pooled buffer behind <see cref="Body"/>.</summary>
internal readonly record struct CcResult(int Status, ReadOnlyMemory<byte> Body, IDisposable? Lease = null)
{
    public static CcResult Json(int status, Action<Utf8JsonWriter> write, int capacityHint = 4096)
    {
        var buffer = JsonBody.BuildPooled(write, capacityHint);
        return new CcResult(status, buffer.WrittenMemory, buffer);
    }

    public static implicit operator CcResult(CcError error) => new(error.Status, JsonBody.Build(error.WriteBody));
}
