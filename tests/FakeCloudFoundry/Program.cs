using System.Globalization;
using FakeCloudFoundry;

// dotnet FakeCloudFoundry.dll [--port N] [--links-from-host] [--emulator [--apps-root DIR] [--app NAME=DIR]...] [--ignore-stdin]
// --emulator: task commands really run on this machine (bash -c, or PowerShell without bash, in a temporary copy of
// the app's folder; see Tasks/ProcessTaskRunner and Tasks/TaskShell). --apps-root: the folder with one sub-folder per
// app (default: the repository's samples/).
// Prints the base URL as the first stdout line. Stops on SIGTERM / Ctrl+C, or when stdin reaches EOF — but only if
// stdin is redirected from something other than /dev/null (a pipe from a parent test process), so the fake dies with
// its parent. From a terminal, from /dev/null or with --ignore-stdin, stdin is not watched. --links-from-host: absolute
// links in bodies use the request's Host header (for clients that come through the test proxy under another name).
var ignoreStdin = args.Contains("--ignore-stdin");
var options = ParseArguments(args.Where(a => a != "--ignore-stdin").ToArray());
if (options is null)
{
    Console.Error.WriteLine("usage: FakeCloudFoundry [--port N] [--links-from-host] [--emulator [--apps-root DIR] [--app NAME=DIR]...] [--ignore-stdin]");
    return 2;
}
if (options.Emulator)
{
    var apps = new FakeCloudFoundry.Tasks.AppFolders(options.AppsRoot ?? FakeCloudFoundry.Tasks.AppFolders.FindSamplesFolder(), options.AppFolders);
    Console.Error.WriteLine("emulator: a local stand-in for Cloud Foundry, not Cloud Foundry. Task commands RUN ON THIS MACHINE "
                            + $"({FakeCloudFoundry.Tasks.ProcessTaskRunner.DescribeShell()}, in a temporary copy of {apps.AppsRoot ?? "<no apps root>"}/<app name>).");
}

await using var server = await FakeCloudFoundryServer.StartAsync(options, logWarningsToStderr: true, CancellationToken.None);
Console.Out.WriteLine(server.BaseUrl.ToString());
Console.Out.Flush();

var stop = new TaskCompletionSource();
server.Stopping.Register(() => stop.TrySetResult());
if (!ignoreStdin && StdinIsAPipeOrFile())
{
    _ = Task.Run(async () =>
    {
        var stdin = Console.OpenStandardInput();
        var buffer = new byte[1024];
        while (await stdin.ReadAsync(buffer) > 0)
        {
        }
        stop.TrySetResult();
    });
}
await stop.Task;
return 0;

static bool StdinIsAPipeOrFile()
{
    if (!Console.IsInputRedirected) return false;
    if (!OperatingSystem.IsLinux()) return true;
    var target = new FileInfo("/proc/self/fd/0").LinkTarget;
    return target != "/dev/null";
}

static FakeServerOptions? ParseArguments(string[] args)
{
    var port = 0;
    var emulator = false;
    var linksFromHost = false;
    string? appsRoot = null;
    var appFolders = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port):
                i++;
                break;
            case "--emulator":
                emulator = true;
                break;
            case "--links-from-host":
                linksFromHost = true;
                break;
            case "--apps-root" when i + 1 < args.Length:
                appsRoot = args[++i];
                break;
            case "--app" when i + 1 < args.Length && args[i + 1].IndexOf('=') > 0:
                var mapping = args[++i];
                var equals = mapping.IndexOf('=');
                appFolders[mapping[..equals]] = mapping[(equals + 1)..];
                break;
            default:
                return null;
        }
    }
    // App folders only mean something to the emulator; asking for them without it is a mistake worth reporting.
    if (!emulator && (appsRoot is not null || appFolders.Count > 0)) return null;
    return new FakeServerOptions
    {
        Port = port, Emulator = emulator, AppsRoot = appsRoot, AppFolders = appFolders.Count > 0 ? appFolders : null,
        LinksFromHostHeader = linksFromHost,
    };
}
