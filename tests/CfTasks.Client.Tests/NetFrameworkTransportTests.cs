using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CfTasks.Client.Http;

namespace CfTasks.Client.Tests;

/// <summary>
/// What only the Desktop (.NET Framework) transport does, because .NET Framework lacks it: TLS 1.2 in the process's
/// protocol list without replacing the OS default, and a connect timeout. Compiled into the Desktop suite only.
/// </summary>
public sealed class NetFrameworkTransportTests
{
    [Fact]
    public void Tls12_is_added_to_an_old_protocol_list_and_nothing_is_removed()
    {
        var original = ServicePointManager.SecurityProtocol;
        try
        {
            ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls | SecurityProtocolType.Tls11;

            using var transport = CfTransport.Create(new CfClientOptions());

            Assert.Equal(SecurityProtocolType.Tls | SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12, ServicePointManager.SecurityProtocol);
        }
        finally
        {
            ServicePointManager.SecurityProtocol = original;
        }
    }

    [Fact]
    public void The_os_default_is_left_alone()
    {
        var original = ServicePointManager.SecurityProtocol;
        try
        {
            ServicePointManager.SecurityProtocol = SecurityProtocolType.SystemDefault;

            using var transport = CfTransport.Create(new CfClientOptions());

            Assert.Equal(SecurityProtocolType.SystemDefault, ServicePointManager.SecurityProtocol);
        }
        finally
        {
            ServicePointManager.SecurityProtocol = original;
        }
    }

    [LinuxFact]
    public async Task A_host_that_never_answers_the_connect_fails_the_attempt_after_the_connect_timeout()
    {
        // Linux drops new connections to a listener whose accept queue is full: the connect hangs, as to a host that
        // silently drops packets. (The timeout here is short; the real one is CfTransport.ConnectTimeout, 15 s.)
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fillers = Enumerable.Range(0, 4).Select(_ => new TcpClient()).ToList();
        foreach (var filler in fillers) _ = filler.ConnectAsync(IPAddress.Loopback, port);
        try
        {
            await Task.Delay(200); // let the queue fill

            var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
                NetFrameworkTransport.RequestDefaults.ConnectWithinAsync("127.0.0.1", port, TimeSpan.FromMilliseconds(500)));

            Assert.Contains($"127.0.0.1:{port} timed out", error.Message, StringComparison.Ordinal);
            Assert.IsType<TimeoutException>(error.InnerException);
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_refused_connect_is_left_to_the_handler_to_report()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        await NetFrameworkTransport.RequestDefaults.ConnectWithinAsync("127.0.0.1", port, TimeSpan.FromSeconds(15)); // no throw
    }

    private sealed class LinuxFactAttribute : FactAttribute
    {
        public LinuxFactAttribute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) Skip = "needs Linux's behaviour for a full listen queue (a connect that hangs)";
        }
    }
}
