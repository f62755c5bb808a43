using FakeCloudFoundry.Faults;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.State;

/// <summary>The test controls (the same operations as <c>/_fake/...</c>). Thread-safe.</summary>
public sealed partial class FakeState
{
    /// <summary>Back to the standard seed: clears tasks, logs, faults, latency, recorded requests, passcodes and the
    /// clock. Issued tokens stay valid (user guids are stable); the access-token lifetime returns to 1200 s, the trusted
    /// issuers to those of the options, assertion refresh tokens to on.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            Clock.Reset(_options.ClockSpeed);
            foreach (var task in _tasks) task.Execution?.Cancel(); // emulated tasks' processes must not outlive them
            ClearResourcesLocked();
            Logs.Clear();
            Faults.Clear();
            Journal.ClearRequests();
            Journal.ResetStats();
            Volatile.Write(ref _latencyMs, 0);
            ResetIdentityLocked();
            StandardSeed.Apply(this);
        }
    }

    public CfApp CreateApp(AppSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Name)) throw new ArgumentException("an app needs a name");
        lock (Gate)
        {
            var space = _spaces.Find(s => s.Name == spec.Space && (spec.Organization is null || s.Organization.Name == spec.Organization))
                        ?? throw new ArgumentException($"no space '{spec.Space}'");
            return AddAppLocked(space, spec);
        }
    }

    /// <summary>Adds a droplet (created now) to an app, by default not its current one; returns it.</summary>
    public Droplet AddDroplet(string appGuid, DropletSpec spec)
    {
        lock (Gate)
        {
            var app = AppByGuid(appGuid) ?? throw new ArgumentException($"no app '{appGuid}'");
            return AddDropletLocked(app, spec, SettleLocked());
        }
    }

    public int BulkLogs(string sourceId, BulkLogSpec spec)
    {
        if (spec.Count < 0) throw new ArgumentException("count must be >= 0");
        var start = spec.StartUnixNano ?? Clock.NowNs - spec.Count * spec.IntervalNano;
        var envelopes = new LogEnvelope[spec.Count];
        for (var i = 0; i < spec.Count; i++)
        {
            envelopes[i] = new LogEnvelope
            {
                TimestampNs = start + i * spec.IntervalNano, SourceId = sourceId, InstanceId = spec.InstanceId, SourceType = spec.SourceType,
                Stream = spec.Type, Message = spec.MessagePrefix + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        lock (Gate) Logs.AddRange(sourceId, envelopes);
        return spec.Count;
    }

    public int AddLogs(string sourceId, IEnumerable<LogLineSpec> lines)
    {
        var now = Clock.NowNs;
        var envelopes = lines.Select(line =>
        {
            var timestamp = line.TimestampUnixNano ?? now;
            return new LogEnvelope
            {
                TimestampNs = timestamp, SourceId = sourceId, InstanceId = line.InstanceId, SourceType = line.SourceType, Stream = line.Type,
                Message = line.Message, VisibleAtNs = line.VisibleAfterSeconds is { } delay ? timestamp + (long)(delay * 1e9) : long.MinValue,
            };
        }).ToList();
        lock (Gate) Logs.AddRange(sourceId, envelopes);
        return envelopes.Count;
    }

    public void AddFault(FaultRule rule) => Faults.Add(rule);

    public void ClearFaults() => Faults.Clear();

    /// <summary>Delays every CC, UAA and log-cache request by this many milliseconds (0 = off).</summary>
    public void SetLatency(int milliseconds) => Volatile.Write(ref _latencyMs, Math.Max(0, milliseconds));

    public IReadOnlyList<RecordedRequest> Requests() => Journal.Snapshot();

    public void ClearRequests() => Journal.ClearRequests();

    public ServerStats Stats() => Journal.Stats();

    public void ResetStats() => Journal.ResetStats();

    public void SetClockSpeed(double speed) => Clock.SetSpeed(speed);

    public void AdvanceClock(TimeSpan by)
    {
        Clock.Advance(by);
        lock (Gate) SettleLocked();
    }

    /// <summary>Every access token issued so far is rejected from now on.</summary>
    public void ExpireTokens()
    {
        lock (Gate) Tokens.ForgetAccessTokens();
    }

    /// <summary>Every refresh token issued so far is rejected from now on.</summary>
    public void RevokeRefreshTokens()
    {
        lock (Gate) Tokens.ForgetRefreshTokens();
    }

    /// <summary>
    /// Lifetime of access tokens issued from now on. 0 issues tokens that expire as they are issued (<c>exp</c> = <c>iat</c>,
    /// <c>expires_in</c> 0): a client that checks expiry renews before every use, and the API rejects them.
    /// </summary>
    public void SetAccessTokenLifetime(int seconds)
    {
        if (seconds < 0) throw new ArgumentOutOfRangeException(nameof(seconds));
        lock (Gate) Tokens.AccessTokenLifetimeSeconds = seconds;
    }

    // ----- helpers for tests -----

    public DateTimeOffset Now => Clock.Now;

    public long NowUnixNano => Clock.NowNs;

    public CfApp? FindApp(string spaceName, string appName)
    {
        lock (Gate) return _apps.Find(a => a.Space.Name == spaceName && a.Name == appName);
    }

    public Space? FindSpace(string spaceName)
    {
        lock (Gate) return _spaces.Find(s => s.Name == spaceName);
    }

    public Organization? FindOrganization(string name)
    {
        lock (Gate) return _organizations.Find(o => o.Name == name);
    }

    /// <summary>The task (state brought up to the fake clock), or null.</summary>
    public FakeTask? GetTask(string guid)
    {
        lock (Gate)
        {
            SettleLocked();
            return TaskByGuid(guid);
        }
    }

    /// <summary>Tasks of an app in sequence order (a copy).</summary>
    public IReadOnlyList<FakeTask> TasksOf(string appGuid)
    {
        lock (Gate)
        {
            SettleLocked();
            return AppByGuid(appGuid)?.Tasks.ToArray() ?? [];
        }
    }

    /// <summary>Every envelope of a source a reader could see now (stamped up to now, late ones once delivered), oldest first.</summary>
    public IReadOnlyList<LogEnvelope> LogsOf(string sourceId)
    {
        var now = Clock.NowNs;
        lock (Gate) return Logs.Read(sourceId, long.MinValue, now + 1, int.MaxValue, descending: false, now);
    }

    /// <summary>A valid access token (JWT) for a seeded user, as if it had logged in with the password grant.</summary>
    /// <param name="origin">the user's identity origin; default: <c>uaa</c>, else the first user of that name</param>
    public string IssueAccessToken(string userName, string? origin = null)
    {
        lock (Gate)
        {
            var user = (origin is null ? UserByName(userName) : UserIn(origin, userName))
                       ?? throw new ArgumentException($"no user '{userName}'{(origin is null ? "" : $" in origin '{origin}'")}");
            return Tokens.IssueForUser(user, "cf", "password", Clock.NowNs / 1_000_000_000).AccessToken;
        }
    }

    /// <summary>A valid access token for a seeded UAA client (client_credentials).</summary>
    public string IssueClientAccessToken(string clientId)
    {
        lock (Gate)
        {
            var client = ClientById(clientId) ?? throw new ArgumentException($"no client '{clientId}'");
            return Tokens.IssueForClient(client, Clock.NowNs / 1_000_000_000).AccessToken;
        }
    }
}
