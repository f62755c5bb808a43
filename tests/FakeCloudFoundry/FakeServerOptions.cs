using FakeCloudFoundry.Identity;

namespace FakeCloudFoundry;

/// <summary>How a fake Cloud Foundry server is started.</summary>
public sealed class FakeServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Emulator mode: every task's command really runs on this machine (<see cref="Tasks.ProcessTaskRunner"/>:
    /// <c>bash -c</c> in a temporary copy of the app's folder with a CF-like environment). Off by default: the
    /// ordinary fake never runs commands, it plays them as scripts (<see cref="Tasks.ScriptedTaskRunner"/>).
    /// </summary>
    public bool Emulator { get; init; }

    /// <summary>Emulator only: the folder holding one sub-folder of files per app name (default: the repository's
    /// <c>samples/</c> folder, found above the fake's own location).</summary>
    public string? AppsRoot { get; init; }

    /// <summary>Emulator only: explicit app name → folder mappings that win over <see cref="AppsRoot"/>.</summary>
    public IReadOnlyDictionary<string, string>? AppFolders { get; init; }

    /// <summary>
    /// Build the absolute links in bodies (root document, pagination, resource links, login prompts) from the request's
    /// Host header instead of the fake's own <c>http://127.0.0.1:PORT</c>. Off by default. For a client that reaches
    /// the fake through the test proxy under a name only the proxy resolves (e.g. <c>http://api.cf.test:PORT</c>).
    /// </summary>
    public bool LinksFromHostHeader { get; init; }

    /// <summary>How many fake seconds pass per real second (restored by reset).</summary>
    public double ClockSpeed { get; init; } = 1.0;

    /// <summary>The issuers of JWT bearer assertions the fake UAA trusts (default: <see cref="TrustedIssuer.StandardCi"/>).</summary>
    public IReadOnlyList<TrustedIssuer>? TrustedIssuers { get; init; }

    /// <summary>How long a step the script language does not know takes, in fake time.</summary>
    public TimeSpan DefaultTaskDuration { get; init; } = TimeSpan.FromSeconds(2);
}
