namespace FakeCloudFoundry.Model;

/// <summary>The CC task state names.</summary>
public static class TaskStates
{
    public const string Pending = "PENDING";
    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCEEDED";
    public const string Canceling = "CANCELING";
    public const string Failed = "FAILED";

    public static bool IsTerminal(string state) => state is Succeeded or Failed;

    public static bool IsKnown(string state) => state is Pending or Running or Succeeded or Canceling or Failed;
}
