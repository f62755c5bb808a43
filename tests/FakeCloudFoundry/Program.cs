using System.Globalization;
using FakeCloudFoundry;

// dotnet FakeCloudFoundry.dll [--port N] [--emulator]
// Prints the base URL as the first stdout line. Stops on SIGTERM / Ctrl+C, or when stdin reaches EOF — but only if
// stdin is redirected (a pipe from a parent test process), so the fake dies with its parent. Run from a terminal,
// stdin is not watched.
var options = ParseArguments(args);
if (options is null)
{
    Console.Error.WriteLine("usage: FakeCloudFoundry [--port N] [--emulator]");
    return 2;
}

await using var server = await FakeCloudFoundryServer.StartAsync(options, logWarningsToStderr: true, CancellationToken.None);
Console.Out.WriteLine(server.BaseUrl.ToString());
Console.Out.Flush();

var stop = new TaskCompletionSource();
server.Stopping.Register(() => stop.TrySetResult());
if (Console.IsInputRedirected)
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

static FakeServerOptions? ParseArguments(string[] args)
{
    var port = 0;
    var emulator = false;
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
            default:
                return null;
        }
    }
    return new FakeServerOptions { Port = port, Emulator = emulator };
}
