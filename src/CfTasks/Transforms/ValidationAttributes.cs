using System.Management.Automation;

namespace CfTasks.Transforms;

/// <summary>
/// A Cloud Foundry name (app, task, org, space, process type; wildcards allowed where the parameter takes them): not
/// empty and not only white space. A parameter-binding error otherwise, before any request is sent.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateCfNameAttribute : ValidateEnumeratedArgumentsAttribute
{
    /// <inheritdoc />
    protected override void ValidateElement(object element)
    {
        var text = element is PSObject wrapped ? wrapped.BaseObject as string : element as string;
        if (string.IsNullOrWhiteSpace(text))
            throw new ValidationMetadataException("A name cannot be empty or only white space. Give a Cloud Foundry name such as 'billing-api'.");
    }
}

/// <summary>A Cloud Foundry guid: a UUID such as <c>d5cc22ec-99a3-4e6a-af91-a44b4ab7b6fa</c>. Checked before any request.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateCfGuidAttribute : ValidateEnumeratedArgumentsAttribute
{
    /// <inheritdoc />
    protected override void ValidateElement(object element)
    {
        var text = element is PSObject wrapped ? wrapped.BaseObject as string : element as string;
        if (!System.Guid.TryParseExact(text?.Trim(), "D", out _))
            throw new ValidationMetadataException($"'{text}' is not a Cloud Foundry guid. A guid looks like d5cc22ec-99a3-4e6a-af91-a44b4ab7b6fa (Get-CfTask shows each task's Guid).");
    }
}
