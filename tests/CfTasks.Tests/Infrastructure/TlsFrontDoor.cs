using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CfTasks.Tests.Infrastructure;

/// <summary>
/// An HTTPS endpoint on 127.0.0.1 with a self-signed certificate that forwards every request to the fake: what a
/// foundation with an untrusted certificate looks like to the module.
/// </summary>
public sealed class TlsFrontDoor : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    private TlsFrontDoor(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The https URL of the front door.</summary>
    public string Url { get; }

    /// <summary>Starts a front door for <paramref name="backend"/>.</summary>
    public static async Task<TlsFrontDoor> StartAsync(string backend)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = SelfSigned();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        TlsFrontDoor? door = null;
        app.Run(async context => await door!.ForwardAsync(context, backend));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        door = new TlsFrontDoor(app, url);
        return door;
    }

    private async Task ForwardAsync(HttpContext context, string backend)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), backend + context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        foreach (var header in context.Request.Headers)
            if (header.Key is "Authorization" or "Accept") request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        using var response = await _forward.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=cf.self-signed.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _forward.Dispose();
        await _app.DisposeAsync();
    }
}
