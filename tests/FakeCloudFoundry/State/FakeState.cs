using FakeCloudFoundry.Faults;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.Logs;
using FakeCloudFoundry.Model;
using FakeCloudFoundry.Tasks;
using FakeCloudFoundry.Time;

namespace FakeCloudFoundry.State;

/// <summary>
/// Everything the fake knows: orgs, spaces, apps, tasks, logs, users, tokens, faults, the clock. One lock
/// (<see cref="Gate"/>) guards the data; it is held only while reading or changing it, never while doing I/O.
/// The public methods are the in-process twins of the <c>/_fake</c> HTTP controls.
/// </summary>
public sealed partial class FakeState
{
    internal readonly object Gate = new();
    private readonly FakeServerOptions _options;
    private readonly Random _random = new();
    private readonly List<Organization> _organizations = new();
    private readonly Dictionary<string, Organization> _organizationsByGuid = new(StringComparer.Ordinal);
    private readonly List<Space> _spaces = new();
    private readonly Dictionary<string, Space> _spacesByGuid = new(StringComparer.Ordinal);
    private readonly List<CfApp> _apps = new();
    private readonly Dictionary<string, CfApp> _appsByGuid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppProcess> _processesByGuid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Droplet> _dropletsByGuid = new(StringComparer.Ordinal);
    private readonly List<FakeTask> _tasks = new();
    private readonly Dictionary<string, FakeTask> _tasksByGuid = new(StringComparer.Ordinal);
    private readonly PriorityQueue<FakeTask, long> _transitions = new();
    private readonly Dictionary<(string Origin, string Name), UserAccount> _users = new();
    private readonly Dictionary<string, ClientAccount> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, SpaceRole>> _rolesByPrincipal = new(StringComparer.Ordinal);
    private long _nextOrdinal;
    private int _latencyMs;

    public FakeState(FakeServerOptions? options = null, ITaskRunner? runner = null)
    {
        _options = options ?? new FakeServerOptions();
        Clock = new FakeClock(_options.ClockSpeed);
        Runner = runner ?? (_options.Emulator
            ? new ProcessTaskRunner(new AppFolders(_options.AppsRoot ?? AppFolders.FindSamplesFolder(), _options.AppFolders), Clock)
            : new ScriptedTaskRunner(_options.DefaultTaskDuration));
        foreach (var user in StandardSeed.Users) _users[(user.Origin, user.Name)] = user;
        foreach (var client in StandardSeed.Clients) _clients[client.Id] = client;
        Reset();
    }

    public FakeClock Clock { get; }

    internal ITaskRunner Runner { get; }
    internal TokenAuthority Tokens { get; } = new();
    internal PasscodeStore Passcodes { get; } = new();
    internal AssertionAuthority Assertions { get; } = new();
    internal LogStore Logs { get; } = new();
    internal FaultRuleSet Faults { get; } = new();
    internal RequestJournal Journal { get; } = new();

    /// <summary>The Cloud Controller base URL (no trailing slash); links in every body start with it.</summary>
    public string ApiUrl { get; private set; } = "http://127.0.0.1";

    public int LatencyMs => Volatile.Read(ref _latencyMs);

    /// <summary>Whether bodies build their absolute links from the request's Host header (<see cref="FakeServerOptions.LinksFromHostHeader"/>).</summary>
    public bool LinksFromHostHeader => _options.LinksFromHostHeader;

    internal IReadOnlyList<Organization> Organizations => _organizations;
    internal IReadOnlyList<Space> Spaces => _spaces;
    internal IReadOnlyList<CfApp> Apps => _apps;
    internal IReadOnlyList<FakeTask> AllTasks => _tasks;

    internal void SetApiUrl(string apiUrl)
    {
        lock (Gate)
        {
            ApiUrl = apiUrl.TrimEnd('/');
            Tokens.Issuer = ApiUrl + "/uaa/oauth/token";
        }
    }

    // ----- look-ups (callers hold Gate) -----

    internal Organization? OrganizationByGuid(string guid) => _organizationsByGuid.GetValueOrDefault(guid);
    internal Space? SpaceByGuid(string guid) => _spacesByGuid.GetValueOrDefault(guid);
    internal CfApp? AppByGuid(string guid) => _appsByGuid.GetValueOrDefault(guid);
    internal AppProcess? ProcessByGuid(string guid) => _processesByGuid.GetValueOrDefault(guid);
    internal Droplet? DropletByGuid(string guid) => _dropletsByGuid.GetValueOrDefault(guid);
    internal FakeTask? TaskByGuid(string guid) => _tasksByGuid.GetValueOrDefault(guid);
    /// <summary>A user of origin <c>uaa</c> by that name, else the first of any origin.</summary>
    internal UserAccount? UserByName(string name) =>
        _users.GetValueOrDefault((UserAccount.UaaOrigin, name)) ?? _users.Values.FirstOrDefault(u => u.Name == name);

    internal UserAccount? UserIn(string origin, string name) => _users.GetValueOrDefault((origin, name));
    internal ClientAccount? ClientById(string id) => _clients.GetValueOrDefault(id);

    // ----- permissions (callers hold Gate) -----

    internal SpaceRole RoleIn(Principal principal, Space space) =>
        _rolesByPrincipal.TryGetValue(principal.RoleKey, out var roles) && roles.TryGetValue(space.Guid, out var role) ? role : SpaceRole.None;

    internal bool CanRead(Principal principal, Space space) => principal.IsAdmin || RoleIn(principal, space) != SpaceRole.None;

    /// <summary>Create/cancel tasks and see commands: admins and space developers.</summary>
    internal bool CanWrite(Principal principal, Space space) => principal.IsAdmin || RoleIn(principal, space) == SpaceRole.SpaceDeveloper;

    internal bool CanRead(Principal principal, Organization org) =>
        principal.IsAdmin || _spaces.Exists(s => s.Organization == org && RoleIn(principal, s) != SpaceRole.None);

    /// <summary>The principal behind a valid access token, judged by the fake clock.</summary>
    internal Principal? Authenticate(string accessToken)
    {
        var now = Clock.NowNs / 1_000_000_000;
        lock (Gate) return Tokens.Validate(accessToken, now);
    }

    // ----- the clock drives task state (callers hold Gate) -----

    /// <summary>Applies every task transition due by now; returns now (fake ns).</summary>
    internal long SettleLocked()
    {
        var now = Clock.NowNs;
        while (_transitions.TryPeek(out var task, out var due) && due <= now)
        {
            _transitions.Dequeue();
            if (task.TransitionAtNs != due || TaskStates.IsTerminal(task.State)) continue;
            task.State = task.TransitionState!;
            task.FailureReason = task.TransitionFailureReason;
            task.UpdatedAtNs = due;
            task.TransitionAtNs = null;
        }
        return now;
    }

    private void ScheduleLocked(FakeTask task, long atNs, string state, string? failureReason)
    {
        task.TransitionAtNs = atNs;
        task.TransitionState = state;
        task.TransitionFailureReason = failureReason;
        _transitions.Enqueue(task, atNs);
    }

    private string NewGuid() => Guid.NewGuid().ToString();

    private long Jitter(int fromMs, int toMs) => _random.NextInt64(fromMs * 1_000_000L, toMs * 1_000_000L);
}
