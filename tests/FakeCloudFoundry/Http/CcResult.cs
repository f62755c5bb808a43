using System.Text.Json;

namespace FakeCloudFoundry.Http;

/// <summary>A finished CC answer, built under the state lock and written after it is released.</summary>
internal readonly record struct CcResult(int Status, ReadOnlyMemory<byte> Body)
{
    public static CcResult Json(int status, Action<Utf8JsonWriter> write) => new(status, JsonBody.Build(write));

    public static implicit operator CcResult(CcError error) => new(error.Status, JsonBody.Build(error.WriteBody));
}
