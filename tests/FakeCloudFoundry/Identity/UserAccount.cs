using System.Security.Cryptography;
using System.Text;

namespace FakeCloudFoundry.Identity;

/// <summary>
/// A UAA user. Names are unique per identity origin (<c>uaa</c>, <c>ldap</c>, an OIDC provider's origin key), as in
/// UAA. The guid is derived from origin and name so it survives resets. <see cref="Password"/> is null for users who
/// cannot use the password grant (e.g. users of an OIDC provider that signs in with assertions).
/// </summary>
public sealed record UserAccount(string Name, string? Password, bool IsAdmin, string Origin = UserAccount.UaaOrigin)
{
    public const string UaaOrigin = "uaa";
    public const string LdapOrigin = "ldap";

    public string Guid { get; } = StableGuid(Origin == UaaOrigin ? "user:" + Name : $"user:{Origin}:{Name}");

    /// <summary>The key under which this user's space roles are stored.</summary>
    public string RoleKey => RoleKeyFor(Origin, Name);

    public static string RoleKeyFor(string origin, string name) => origin == UaaOrigin ? name : origin + "/" + name;

    public static string StableGuid(string seed) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes(seed))).ToString();
}
