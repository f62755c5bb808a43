using System.Net;
using System.Net.Sockets;
using System.Text;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;

namespace CfTasks.Client.Tests;

/// <summary>
/// The session transport (CfTransport) behaves the same in both builds: these run against the Core build (net10.0)
/// and, in the Desktop suite, against the .NET Framework build, where each is something .NET Framework does
/// differently by default (2 connections per host, Expect: 100-continue, no connect timeout).
/// </summary>
public sealed class TransportTests
{
    private static HttpClient ClientFor(HttpMessageHandler transport) => new(transport) { Timeout = TimeSpan.FromMinutes(2) };

    [Fact]
    public async Task A_post_is_sent_without_expect_100_continue()
    {
        using var server = new LoopbackServer();
        using var http = ClientFor(CfTransport.Create(new CfClientOptions()));

        using var response = await http.PostAsync(new Uri(server.Url, "v3/apps/x/tasks"), new StringContent("{\"command\":\"x\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var head = Assert.Single(server.Heads);
        Assert.StartsWith("POST /v3/apps/x/tasks ", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Expect:", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sixty_four_requests_to_one_host_are_in_flight_at_once()
    {
        // Start-CfTask -ThrottleLimit goes up to 64. The server answers nothing until 64 requests are waiting (or a
        // generous deadline passes, and then the count below is short).
        var all = new TaskCompletionSource<bool>();
        var waiting = 0;
        var most = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var release = deadline.Token.Register(() => all.TrySetResult(false));
        using var server = new LoopbackServer(beforeAnswer: async _ =>
        {
            var now = Interlocked.Increment(ref waiting);
            InterlockedMax(ref most, now);
            if (now >= CfTransport.MaxConnectionsPerServer) all.TrySetResult(true);
            await all.Task.ConfigureAwait(false);
        });
        using var http = ClientFor(CfTransport.Create(new CfClientOptions()));

        var requests = Enumerable.Range(0, CfTransport.MaxConnectionsPerServer).Select(i => http.GetAsync(new Uri(server.Url, $"v3/tasks/{i}")));
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(64, most);
    }

    [MonoCannotRunFact("Mono 6.8 has no CertificateRequest to make the test server's self-signed certificate")]
    public async Task Skip_certificate_validation_accepts_a_self_signed_certificate_that_is_refused_otherwise()
    {
        using var server = new LoopbackServer(tls: true);
        using var strict = ClientFor(CfTransport.Create(new CfClientOptions()));
        using var trusting = ClientFor(CfTransport.Create(new CfClientOptions { SkipCertificateValidation = true }));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => strict.GetAsync(new Uri(server.Url, "v3")));
        using var accepted = await trusting.GetAsync(new Uri(server.Url, "v3"));

        Assert.Equal(CfErrorKind.Certificate, CfApiErrors.FromTransport(refused, server.Url).Kind); // CfCertificateNotTrusted, as on Core
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
