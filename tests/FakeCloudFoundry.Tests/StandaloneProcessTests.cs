using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace FakeCloudFoundry.Tests;

public sealed class StandaloneProcessTests
{
    [Fact]
    public async Task The_process_prints_its_base_url_first_and_exits_when_stdin_closes()
    {
        using var process = StartFake("--port", "0");
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

    [Fact]
    public async Task With_links_from_host_the_process_answers_under_the_proxied_name()
    {
        using var process = StartFake("--links-from-host");
        try
        {
            var baseUrl = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            using var control = new HttpClient();
            var started = await control.PostAsync(baseUrl + "/_fake/proxy", new StringContent("{}", Encoding.UTF8, "application/json"));
            var proxyUrl = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["url"]!.GetValue<string>();

            using var proxied = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy(proxyUrl), UseProxy = true });
            var api = $"http://api.cf.test:{new Uri(baseUrl!).Port}";
            var root = JsonNode.Parse(await proxied.GetStringAsync(api + "/"))!;
            Assert.Equal(api + "/login", root["links"]!["login"]!["href"]!.GetValue<string>());
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000)) process.Kill();
        }
    }

    /// <summary>The fake as a process with its stdin on a pipe, so it ends when the pipe closes.</summary>
    private static Process StartFake(params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FakeCloudFoundry.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start)!;
    }
}
