using CfTasks.Client.Errors;

namespace CfTasks.Client.Services;

/// <summary>What services ask of the target they act in.</summary>
internal static class CfTargetExtensions
{
    /// <summary>The targeted space's guid, or a NoSpaceTargeted error.</summary>
    public static string RequireSpaceGuid(this CfTarget target) => target.SpaceGuid ?? throw CfErrors.NoSpaceTargeted(target);
}
