namespace CfTasks.Client.Tests;

/// <summary>
/// A test the Desktop suite cannot run under Mono (the stand-in for .NET Framework on machines without Windows) for a
/// reason that is Mono's, not CfTasks': skipped there with that reason, so it is counted as skipped, never silently
/// dropped. On .NET and on .NET Framework it runs.
/// </summary>
public sealed class MonoCannotRunFactAttribute : FactAttribute
{
    public MonoCannotRunFactAttribute(string reason)
    {
        if (Type.GetType("Mono.Runtime") is not null) Skip = "Mono cannot run this: " + reason;
    }
}
