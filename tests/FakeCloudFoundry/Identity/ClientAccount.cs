namespace FakeCloudFoundry.Identity;

/// <summary>A UAA OAuth client and the grant types it may use.</summary>
public sealed record ClientAccount(string Id, string Secret, IReadOnlyList<string> GrantTypes)
{
    public bool Allows(string grantType) => GrantTypes.Contains(grantType);
}
