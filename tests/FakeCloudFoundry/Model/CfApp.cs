namespace FakeCloudFoundry.Model;

/// <summary>An application with its processes and its tasks (kept in creation order, i.e. by sequence id).</summary>
public sealed class CfApp
{
    public required string Guid { get; init; }
    public required string Name { get; init; }
    public required Space Space { get; init; }
    public required string State { get; set; }
    public required long CreatedAtNs { get; init; }
    public long UpdatedAtNs { get; set; }
    /// <summary>Current droplet guid, or null for an app without a current droplet.</summary>
    public string? DropletGuid { get; set; }
    /// <summary>Every droplet of the app, current or not, in creation order.</summary>
    public List<Droplet> Droplets { get; } = new();
    public string Buildpack { get; init; } = "ruby_buildpack";
    public string Stack { get; init; } = "cflinuxfs4";
    public long Ordinal { get; init; }
    public ResourceMetadata Metadata { get; } = new();
    public List<AppProcess> Processes { get; } = new();
    public List<FakeTask> Tasks { get; } = new();
    /// <summary>The next task's sequence id (CC's <c>max_task_sequence_id</c>).</summary>
    public int NextSequenceId { get; set; } = 1;

    public AppProcess? FindProcess(string type) => Processes.Find(p => p.Type == type);
}
