using FakeCloudFoundry.Identity;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.State;

/// <summary>Creating orgs, spaces, apps and roles (callers hold Gate).</summary>
public sealed partial class FakeState
{
    internal Organization AddOrganizationLocked(string name)
    {
        var created = Clock.NowNs - TimeSpan.FromDays(30).Ticks * 100 + _organizations.Count * 60_000_000_000L;
        var org = new Organization
        {
            Guid = NewGuid(), Name = name, CreatedAtNs = created, UpdatedAtNs = created, QuotaGuid = NewGuid(), Ordinal = _nextOrdinal++,
        };
        _organizations.Add(org);
        _organizationsByGuid[org.Guid] = org;
        return org;
    }

    internal Space AddSpaceLocked(Organization org, string name)
    {
        var created = org.CreatedAtNs + (_spaces.Count + 1) * 60_000_000_000L;
        var space = new Space { Guid = NewGuid(), Name = name, Organization = org, CreatedAtNs = created, UpdatedAtNs = created, Ordinal = _nextOrdinal++ };
        _spaces.Add(space);
        _spacesByGuid[space.Guid] = space;
        return space;
    }

    internal CfApp AddAppLocked(Space space, AppSpec spec)
    {
        var created = Math.Min(space.CreatedAtNs + (_apps.Count + 1) * 3_600_000_000_000L, Clock.NowNs);
        var app = new CfApp
        {
            Guid = NewGuid(), Name = spec.Name, Space = space, State = spec.State, CreatedAtNs = created, UpdatedAtNs = created,
            Ordinal = _nextOrdinal++,
        };
        if (spec.Labels is not null)
        {
            foreach (var (key, value) in spec.Labels) app.Metadata.Labels[key] = value;
        }
        AddProcessLocked(app, "web", "bundle exec rackup", instances: 1, memoryInMb: 256, diskInMb: 1024, logRate: -1);
        if (spec.Droplet)
        {
            var task = spec.TaskProcess ?? new ProcessSpec();
            AddProcessLocked(app, "task", task.Command, instances: 0, task.MemoryInMb, task.DiskInMb, task.LogRateLimitInBytesPerSecond);
            AddDropletLocked(app, new DropletSpec { Current = true }, created);
        }
        _apps.Add(app);
        _appsByGuid[app.Guid] = app;
        return app;
    }

    /// <summary>A droplet for the app (its process types are the app's processes' commands); optionally made current.</summary>
    internal Droplet AddDropletLocked(CfApp app, DropletSpec spec, long createdAtNs)
    {
        if (!Droplet.States.Contains(spec.State)) throw new ArgumentException($"unknown droplet state '{spec.State}'");
        var guid = NewGuid();
        var droplet = new Droplet
        {
            Guid = guid, App = app, State = spec.State, CreatedAtNs = createdAtNs, UpdatedAtNs = createdAtNs, PackageGuid = NewGuid(),
            Checksum = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(guid))),
            ProcessTypes = app.Processes.ToDictionary(p => p.Type, p => p.Command), Ordinal = _nextOrdinal++,
        };
        if (spec.Labels is not null) CopyInto(droplet.Metadata.Labels, spec.Labels);
        app.Droplets.Add(droplet);
        _dropletsByGuid[droplet.Guid] = droplet;
        if (spec.Current) app.DropletGuid = droplet.Guid;
        return droplet;
    }

    internal void GrantLocked(string roleKey, Space space, SpaceRole role)
    {
        if (!_rolesByPrincipal.TryGetValue(roleKey, out var roles)) _rolesByPrincipal[roleKey] = roles = new(StringComparer.Ordinal);
        roles[space.Guid] = role;
    }

    private void AddProcessLocked(CfApp app, string type, string command, int instances, int memoryInMb, int diskInMb, long logRate)
    {
        var process = new AppProcess
        {
            Guid = NewGuid(), Type = type, App = app, Command = command, Instances = instances, MemoryInMb = memoryInMb, DiskInMb = diskInMb,
            LogRateLimitInBytesPerSecond = logRate, CreatedAtNs = app.CreatedAtNs, UpdatedAtNs = app.CreatedAtNs, RevisionGuid = NewGuid(),
            Version = NewGuid(),
        };
        app.Processes.Add(process);
        _processesByGuid[process.Guid] = process;
    }

    private void ClearResourcesLocked()
    {
        _organizations.Clear();
        _organizationsByGuid.Clear();
        _spaces.Clear();
        _spacesByGuid.Clear();
        _apps.Clear();
        _appsByGuid.Clear();
        _processesByGuid.Clear();
        _dropletsByGuid.Clear();
        _tasks.Clear();
        _tasksByGuid.Clear();
        _transitions.Clear();
        _rolesByPrincipal.Clear();
        _nextOrdinal = 0;
    }
}
