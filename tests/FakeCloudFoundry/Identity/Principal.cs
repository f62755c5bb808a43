namespace FakeCloudFoundry.Identity;

/// <summary>Who a valid access token speaks for: a user (of an identity origin), or a client acting for itself.</summary>
public sealed record Principal(string Name, string Guid, bool IsClient, bool IsAdmin, string Origin = UserAccount.UaaOrigin)
{
    /// <summary>The key under which space roles are stored (users and clients share one namespace).</summary>
    public string RoleKey => IsClient ? "client:" + Name : UserAccount.RoleKeyFor(Origin, Name);
}
