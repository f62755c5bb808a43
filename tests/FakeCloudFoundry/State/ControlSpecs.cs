namespace FakeCloudFoundry.State;

/// <summary>An app to create (<c>POST /_fake/apps</c>). Apps with a droplet get a <c>web</c> and a <c>task</c> process.</summary>
public sealed record AppSpec
{
    public string Space { get; init; } = "demo-space";
    public string Name { get; init; } = "";
    /// <summary>Only needed when the space name is not unique.</summary>
    public string? Organization { get; init; }
    public string State { get; init; } = "STARTED";
    public bool Droplet { get; init; } = true;
    public ProcessSpec? TaskProcess { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
}

/// <summary>A droplet to add to an app (<c>POST /_fake/apps/{guid}/droplets</c>).</summary>
public sealed record DropletSpec
{
    /// <summary>Make it the app's current droplet.</summary>
    public bool Current { get; init; }
    public string State { get; init; } = "STAGED"; // Model.Droplet.Staged (this file is also compiled into the Desktop client tests, without the model)
    public Dictionary<string, string>? Labels { get; init; }
}

/// <summary>The template a <c>task</c> process provides.</summary>
public sealed record ProcessSpec
{
    public string Command { get; init; } = "tasks/default.sh";
    public int MemoryInMb { get; init; } = 128;
    public int DiskInMb { get; init; } = 512;
    public long LogRateLimitInBytesPerSecond { get; init; } = -1;
}

/// <summary>Finished or running tasks to insert in bulk (<c>POST /_fake/apps/{guid}/tasks/bulk</c>).</summary>
public sealed record BulkTaskSpec
{
    public int Count { get; init; }
    public string State { get; init; } = "SUCCEEDED";
    /// <summary>Tasks are named <c>&lt;prefix&gt;-&lt;n&gt;</c>, n counting from 1.</summary>
    public string NamePrefix { get; init; } = "task";
    public string Command { get; init; } = "tasks/default.sh";
    public int MemoryInMb { get; init; } = 128;
    public int DiskInMb { get; init; } = 512;
    public Dictionary<string, string>? Labels { get; init; }
}

/// <summary>Spaces full of apps and tasks to insert in bulk (<c>POST /_fake/bulk/spaces</c>).</summary>
public sealed record BulkSpacesSpec
{
    /// <summary>The organization (made when missing).</summary>
    public string Organization { get; init; } = "big-org";
    public int Spaces { get; init; } = 50;
    /// <summary>New spaces are named <c>&lt;prefix&gt;&lt;n&gt;</c>, n counting from 1.</summary>
    public string SpacePrefix { get; init; } = "space-";
    public int AppsPerSpace { get; init; } = 2;
    /// <summary>Apps are named <c>&lt;prefix&gt;&lt;n&gt;</c> in each space.</summary>
    public string AppPrefix { get; init; } = "app-";
    public int TasksPerApp { get; init; } = 1000;
    public string State { get; init; } = "SUCCEEDED";
    /// <summary>Tasks are named <c>&lt;prefix&gt;-&lt;n&gt;</c> in each app.</summary>
    public string NamePrefix { get; init; } = "job";
    public string Command { get; init; } = "bin/job";
    /// <summary>A uaa user made Space Developer of every new space (null: nobody; admins see them anyway).</summary>
    public string? Developer { get; init; } = "developer";
    /// <summary>Labels of every task.</summary>
    public Dictionary<string, string>? Labels { get; init; }
    /// <summary>Labels of every new space.</summary>
    public Dictionary<string, string>? SpaceLabels { get; init; }
}

/// <summary>Log envelopes to insert in bulk (<c>POST /_fake/apps/{guid}/logs/bulk</c>); messages are <c>&lt;prefix&gt;&lt;n&gt;</c>.</summary>
public sealed record BulkLogSpec
{
    public int Count { get; init; }
    public string SourceType { get; init; } = "APP/PROC/WEB";
    /// <summary>Timestamp of the first envelope; default: now minus count × interval (so all are visible).</summary>
    public long? StartUnixNano { get; init; }
    public long IntervalNano { get; init; } = 1_000_000;
    public string InstanceId { get; init; } = "0";
    public string Type { get; init; } = "OUT";
    public string MessagePrefix { get; init; } = "line ";
}

/// <summary>One envelope for <c>POST /_fake/logs</c>.</summary>
public sealed record LogLineSpec
{
    /// <summary>Default: now.</summary>
    public long? TimestampUnixNano { get; init; }
    public string SourceType { get; init; } = "APP/PROC/WEB";
    public string InstanceId { get; init; } = "0";
    public string Type { get; init; } = "OUT";
    public string Message { get; init; } = "";
    /// <summary>Deliver it late: readers see it only once the fake clock passes its timestamp plus this many seconds.</summary>
    public double? VisibleAfterSeconds { get; init; }
}
