using System.Diagnostics;
using System.Net;

namespace FakeCloudFoundry.Tests;

public sealed class StandaloneProcessTests
{
    [Fact]
    public async Task The_process_prints_its_base_url_first_and_exits_when_stdin_closes()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FakeCloudFoundry.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--port", "0"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Matches(@"^http://127\.0\.0\.1:\d+$", firstLine);
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(firstLine + "/v3/info")).StatusCode);

            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
