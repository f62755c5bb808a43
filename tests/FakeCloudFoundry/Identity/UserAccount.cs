using System.Security.Cryptography;
using System.Text;

namespace FakeCloudFoundry.Identity;

/// <summary>A UAA user (origin <c>uaa</c>). The guid is derived from the name so it survives resets.</summary>
public sealed record UserAccount(string Name, string Password, bool IsAdmin)
{
    public string Guid { get; } = StableGuid("user:" + Name);

    public static string StableGuid(string seed) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes(seed))).ToString();
}
