using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CfTasks.Client.Tests;

/// <summary>
/// A bare HTTP/1.1 server on 127.0.0.1 for transport tests, where the fake is too high-level: it sees each request's
/// head exactly as sent, can hold answers back, and can speak TLS with a self-signed certificate. Connections that
/// close without a request (a connect check) are ignored. Answers 200 with an empty JSON object.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly Func<string, Task>? _beforeAnswer;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _heads = [];

    /// <param name="tls">Speak TLS with a new self-signed certificate.</param>
    /// <param name="beforeAnswer">Awaited with each request head before it is answered (to hold answers back).</param>
    public LoopbackServer(bool tls = false, Func<string, Task>? beforeAnswer = null)
    {
        _certificate = tls ? SelfSigned() : null;
        _beforeAnswer = beforeAnswer;
        _listener.Start(512);
        _ = AcceptLoopAsync();
    }

    public Uri Url => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The request heads received so far (request line and headers).</summary>
    public IReadOnlyList<string> Heads
    {
        get
        {
            lock (_heads) return _heads.ToList();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _certificate?.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate, false, SslProtocols.Tls12, false).ConfigureAwait(false);
                    stream = tls;
                }
                while (await ReadHeadAsync(stream).ConfigureAwait(false) is { } head)
                {
                    lock (_heads) _heads.Add(head);
                    await SkipBodyAsync(stream, head).ConfigureAwait(false);
                    if (_beforeAnswer is not null) await _beforeAnswer(head).ConfigureAwait(false);
                    var answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
                    await stream.WriteAsync(answer, 0, answer.Length).ConfigureAwait(false);
                    await stream.FlushAsync().ConfigureAwait(false);
                }
            }
            catch (Exception error) when (error is IOException or AuthenticationException or ObjectDisposedException or SocketException)
            {
                // the client went away, or refused our certificate: nothing to answer
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, 0, 1).ConfigureAwait(false) == 0) return null;
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static async Task SkipBodyAsync(Stream stream, string head)
    {
        var length = head.Split(["\r\n"], StringSplitOptions.None)
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var buffer = new byte[4096];
        for (var left = length; left > 0;)
        {
            var read = await stream.ReadAsync(buffer, 0, Math.Min(buffer.Length, left)).ConfigureAwait(false);
            if (read == 0) return;
            left -= read;
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so the private key is usable by SslStream on every runtime.
#pragma warning disable SYSLIB0057 // X509CertificateLoader is .NET 9+; this runs on .NET Framework too
        return new X509Certificate2(certificate.Export(X509ContentType.Pfx, "cftasks"), "cftasks", X509KeyStorageFlags.Exportable);
#pragma warning restore SYSLIB0057
    }
}
