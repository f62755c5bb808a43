using FakeCloudFoundry.Identity;

namespace FakeCloudFoundry.State;

/// <summary>The data <c>POST /_fake/reset</c> restores (see README "Standard seed").</summary>
internal static class StandardSeed
{
    public static readonly UserAccount[] Users =
    [
        new("admin", "admin-password", IsAdmin: true),
        new("developer", "developer-password", IsAdmin: false),
        new("auditor", "auditor-password", IsAdmin: false),
        new("ldap-developer", "ldap-password", IsAdmin: false, UserAccount.LdapOrigin),
        new("deploy-bot", Password: null, IsAdmin: false, TrustedIssuer.StandardCi.Origin),
    ];

    public static readonly ClientAccount[] Clients =
    [
        new("cf", "", [GrantTypes.Password, GrantTypes.RefreshToken, GrantTypes.JwtBearer]),
        new("cftasks-ci", "ci-client-secret", [GrantTypes.ClientCredentials]),
        new("cftasks-oidc", "oidc-client-secret", [GrantTypes.JwtBearer]),
    ];

    public static void Apply(FakeState state)
    {
        var demoOrg = state.AddOrganizationLocked("demo-org");
        var secondOrg = state.AddOrganizationLocked("second-org");
        var demoSpace = state.AddSpaceLocked(demoOrg, "demo-space");
        var otherSpace = state.AddSpaceLocked(demoOrg, "other-space");
        state.AddSpaceLocked(secondOrg, "second-space");

        foreach (var name in new[] { "training-app", "billing-api", "billing-worker", "billing-reports" })
            state.AddAppLocked(demoSpace, new AppSpec { Space = demoSpace.Name, Name = name });
        state.AddAppLocked(demoSpace, new AppSpec { Space = demoSpace.Name, Name = "unstaged-app", State = "STOPPED", Droplet = false });
        state.AddAppLocked(otherSpace, new AppSpec { Space = otherSpace.Name, Name = "training-app" });

        state.GrantLocked("developer", demoSpace, SpaceRole.SpaceDeveloper);
        state.GrantLocked("developer", otherSpace, SpaceRole.SpaceDeveloper);
        state.GrantLocked("auditor", demoSpace, SpaceRole.SpaceAuditor);
        state.GrantLocked(UserAccount.RoleKeyFor(UserAccount.LdapOrigin, "ldap-developer"), demoSpace, SpaceRole.SpaceDeveloper);
        state.GrantLocked(UserAccount.RoleKeyFor(TrustedIssuer.StandardCi.Origin, "deploy-bot"), demoSpace, SpaceRole.SpaceDeveloper);
        state.GrantLocked("client:cftasks-ci", demoSpace, SpaceRole.SpaceDeveloper);
    }
}
