namespace FakeCloudFoundry.Identity;

public enum SpaceRole
{
    None,
    SpaceAuditor,
    SpaceDeveloper,
}
