namespace FakeCloudFoundry.Identity;

/// <summary>Who a valid access token speaks for: a user, or a client acting for itself.</summary>
public sealed record Principal(string Name, string Guid, bool IsClient, bool IsAdmin)
{
    /// <summary>The key under which space roles are stored (users and clients share one namespace).</summary>
    public string RoleKey => IsClient ? "client:" + Name : Name;
}
