namespace CfTasks;

/// <summary>A Cloud Foundry app, the thing tasks run next to.</summary>
public sealed class CfApp
{
    /// <summary>The app's guid.</summary>
    public string Guid { get; init; } = "";
    /// <summary>The app's name, unique within its space.</summary>
    public string Name { get; init; } = "";
    /// <summary>The desired state: STARTED or STOPPED.</summary>
    public string State { get; init; } = "";
    /// <summary>The space the app lives in.</summary>
    public string SpaceGuid { get; init; } = "";
    /// <summary>When the app was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the app last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The connection this app was read through.</summary>
    internal CfTarget? Origin { get; set; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
