namespace FakeCloudFoundry.Tasks;

/// <summary>The secret-looking values the <c>printenv</c> dump prints, as public constants for assertions. In a file of
/// their own so a test run in another process (the Desktop client suite) can share them.</summary>
public static partial class EnvironmentDump
{
    public const string DatabasePassword = "s3cr3t-Db-Pa55w0rd";
    public const string ApiToken = "tok_live_4f9a2c7e1b3d5f60a8c9e7d1b2a3";
    public const string AwsSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string ServicePassword = "Zq8-vT3xK9mW2pL7";
}
