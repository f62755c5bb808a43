using FakeCloudFoundry.Identity;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.State;

/// <summary>Fast bulk seeding of tasks, and of whole spaces full of apps and tasks (thread-safe controls).</summary>
public sealed partial class FakeState
{
    private const long Second = 1_000_000_000L;

    /// <summary>Inserts tasks without running them. Terminal ones get plausible timestamps in the past;
    /// RUNNING / CANCELING / PENDING ones stay so until cancelled.</summary>
    public int BulkTasks(string appGuid, BulkTaskSpec spec)
    {
        ValidateBulk(spec.State, spec.Count);
        lock (Gate)
        {
            var app = AppByGuid(appGuid) ?? throw new ArgumentException($"no app '{appGuid}'");
            var now = SettleLocked();
            _tasks.Capacity = Math.Max(_tasks.Capacity, _tasks.Count + spec.Count);
            for (var i = 1; i <= spec.Count; i++) AddBulkTaskLocked(app, spec, i, now - (spec.Count - i + 2) * Second);
            return spec.Count;
        }
    }

    /// <summary>
    /// A foundation-sized data set in one call: an organization (made if missing) with <c>spaces</c> new spaces, each with
    /// <c>appsPerSpace</c> staged apps with <c>tasksPerApp</c> tasks. The tasks of all apps are interleaved in creation
    /// order with strictly increasing <c>created_at</c>, one second apart and ending now, as a busy foundation would
    /// have made them. <see cref="BulkSpacesSpec.Developer"/> becomes Space Developer of every new space.
    /// </summary>
    public BulkSpacesResult BulkSpaces(BulkSpacesSpec spec)
    {
        ValidateBulk(spec.State, spec.TasksPerApp);
        if (spec.Spaces < 0 || spec.AppsPerSpace < 0) throw new ArgumentException("spaces and appsPerSpace must be >= 0");
        if (string.IsNullOrEmpty(spec.Organization)) throw new ArgumentException("an organization name is required");
        lock (Gate)
        {
            var developer = spec.Developer is null ? null : UserIn(UserAccount.UaaOrigin, spec.Developer) ?? throw new ArgumentException($"no user '{spec.Developer}'");
            var org = _organizations.Find(o => o.Name == spec.Organization) ?? AddOrganizationLocked(spec.Organization);
            var spaceNames = Enumerable.Range(1, spec.Spaces).Select(i => spec.SpacePrefix + i).ToList();
            if (spaceNames.FirstOrDefault(n => _spaces.Exists(s => s.Organization == org && s.Name == n)) is { } taken)
                throw new ArgumentException($"organization '{org.Name}' already has a space '{taken}'");
            var apps = new List<CfApp>(spec.Spaces * spec.AppsPerSpace);
            var spaces = new List<string>(spec.Spaces);
            foreach (var name in spaceNames)
            {
                var space = AddSpaceLocked(org, name);
                if (spec.SpaceLabels is not null) CopyInto(space.Metadata.Labels, spec.SpaceLabels);
                if (developer is not null) GrantLocked(developer.RoleKey, space, Identity.SpaceRole.SpaceDeveloper);
                spaces.Add(space.Guid);
                for (var a = 1; a <= spec.AppsPerSpace; a++) apps.Add(AddAppLocked(space, new AppSpec { Space = name, Name = spec.AppPrefix + a }));
            }
            var now = SettleLocked();
            var total = apps.Count * spec.TasksPerApp;
            _tasks.Capacity = Math.Max(_tasks.Capacity, _tasks.Count + total);
            var tasks = new BulkTaskSpec { State = spec.State, NamePrefix = spec.NamePrefix, Command = spec.Command, Labels = spec.Labels };
            var made = 0;
            for (var i = 1; i <= spec.TasksPerApp; i++)
            {
                foreach (var app in apps) AddBulkTaskLocked(app, tasks, i, now - (total - made++) * Second);
            }
            return new BulkSpacesResult(org.Guid, spaces, apps.Count, total);
        }
    }

    private void AddBulkTaskLocked(CfApp app, BulkTaskSpec spec, int number, long createdAtNs)
    {
        var name = spec.NamePrefix + "-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var task = new FakeTask
        {
            Guid = NewGuid(), Ordinal = _nextOrdinal++, SequenceId = app.NextSequenceId++, Name = name, Command = spec.Command,
            State = spec.State, MemoryInMb = spec.MemoryInMb, DiskInMb = spec.DiskInMb, LogRateLimitInBytesPerSecond = -1,
            DropletGuid = app.DropletGuid ?? NewGuid(), App = app, CreatedAtNs = createdAtNs,
            UpdatedAtNs = TaskStates.IsTerminal(spec.State) ? createdAtNs + Second : createdAtNs,
            FailureReason = spec.State == TaskStates.Failed ? $"APP/TASK/{name}: Exited with status 1" : null,
            OutputClosed = true, CellId = CellIds[0],
        };
        if (spec.Labels is not null) CopyInto(task.Metadata.Labels, spec.Labels);
        RegisterTaskLocked(task);
    }

    private static void ValidateBulk(string state, int count)
    {
        if (!TaskStates.IsKnown(state)) throw new ArgumentException($"unknown task state '{state}'");
        if (count < 0) throw new ArgumentException("count must be >= 0");
    }
}
