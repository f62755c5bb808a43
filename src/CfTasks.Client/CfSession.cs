using System.Net;
using System.Text.Json;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Models;
using CfTasks.Client.Services;
using Refit;

namespace CfTasks.Client;

/// <summary>
/// One signed-in connection to a foundation: the discovered endpoints, the token manager, the HTTP pipelines and the
/// services built on them. Created by <see cref="TargetService.ConnectAsync"/>; its <see cref="Target"/> is the
/// object users hold.
/// </summary>
public sealed class CfSession : ICfTargetSession, IDisposable
{
    private readonly HttpMessageHandler _transport;
    private readonly List<HttpClient> _clients = [];

    private CfSession(CfEndpoints endpoints, CfClientOptions options, HttpMessageHandler transport, CfCredential credential)
    {
        Endpoints = endpoints;
        Options = options;
        _transport = transport;
        var pipeline = CfResiliencePipeline.Create(options);

        var uaaHttp = NewClient(endpoints.Login, new CfResilienceHandler(pipeline, options.RequestTimeout) { InnerHandler = new CfTraceHandler { InnerHandler = transport } });
        Tokens = new TokenManager(RestService.For<IUaaApi>(uaaHttp, RefitSettingsFor()), options, credential, options.Clock);

        var authorities = new[] { endpoints.Api.GetLeftPart(UriPartial.Authority) };
        CloudControllerHttp = NewClient(endpoints.Api,
            new CfResilienceHandler(pipeline, options.RequestTimeout)
            {
                InnerHandler = new CfAuthHandler(Tokens, authorities, replayOnUnauthorized: true) { InnerHandler = new CfTraceHandler { InnerHandler = transport } },
            });
        CloudController = RestService.For<ICloudControllerApi>(CloudControllerHttp, RefitSettingsFor());

        if (endpoints.LogCache is { } logCache)
        {
            var logHttp = NewClient(logCache,
                new CfResilienceHandler(pipeline, options.RequestTimeout)
                {
                    InnerHandler = new CfAuthHandler(Tokens, [logCache.GetLeftPart(UriPartial.Authority)], replayOnUnauthorized: false)
                    {
                        InnerHandler = new CfTraceHandler { InnerHandler = transport },
                    },
                });
            LogCache = RestService.For<ILogCacheApi>(logHttp, RefitSettingsFor());
        }

        Paging = new PagedReader(CloudControllerHttp);
        Target = new CfTarget { ApiEndpoint = endpoints.Api, ApiVersion = endpoints.ApiVersion, Session = this };
        Apps = new AppService(this);
        Tasks = new TaskService(this);
        Logs = new LogService(this);
    }

    /// <summary>The endpoints found in the root document.</summary>
    public CfEndpoints Endpoints { get; }

    /// <summary>Timeouts and retry settings.</summary>
    public CfClientOptions Options { get; }

    /// <summary>The session's tokens.</summary>
    public TokenManager Tokens { get; }

    /// <summary>The user-facing target object backed by this session.</summary>
    public CfTarget Target { get; }

    /// <summary>App look-ups.</summary>
    public AppService Apps { get; }

    /// <summary>Task listing, start, cancel and wait.</summary>
    public TaskService Tasks { get; }

    /// <summary>Task logs from log-cache: recent, tail, follow.</summary>
    public LogService Logs { get; }

    /// <summary>When the current access token expires (UTC).</summary>
    public DateTime? TokenExpiresAt => Tokens.ExpiresAt;

    internal ICloudControllerApi CloudController { get; }
    internal HttpClient CloudControllerHttp { get; }
    internal ILogCacheApi? LogCache { get; }
    internal PagedReader Paging { get; }

    /// <summary>The targeted space's guid, or a NotConnected error naming what to do.</summary>
    public string RequireSpaceGuid() =>
        Target.SpaceGuid ?? throw new CfException(CfErrorKind.NotConnected, "CfNoSpaceTargeted",
            $"No space is targeted on {Target.ApiEndpoint}. Run Set-CfTarget -Organization <org> -Space <space> (or Connect-CfTarget with -Organization and -Space).");

    /// <summary>Builds a session: discovers endpoints and signs in. Does not target an org or space.</summary>
    internal static async Task<CfSession> OpenAsync(Uri api, CfCredential credential, CfClientOptions options, CancellationToken cancellationToken)
    {
        var transport = CfTransport.Create(options);
        try
        {
            var endpoints = await DiscoverAsync(api, options, transport, cancellationToken).ConfigureAwait(false);
            var session = new CfSession(endpoints, options, transport, credential);
            try
            {
                await session.Tokens.SignInAsync(cancellationToken).ConfigureAwait(false);
                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    /// <summary>Reads the root document and checks it is Cloud Foundry's.</summary>
    internal static async Task<CfEndpoints> DiscoverAsync(Uri api, CfClientOptions options, HttpMessageHandler transport, CancellationToken cancellationToken)
    {
        // Discovery retries little: an endpoint that refuses or is not CF should fail fast with a clear message.
        var pipeline = CfResiliencePipeline.Create(options with { MaxRetries = Math.Min(options.MaxRetries, 2) });
        using var http = new HttpClient(new CfResilienceHandler(pipeline, options.RequestTimeout) { InnerHandler = new CfTraceHandler { InnerHandler = transport } }, disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var rootUri = new Uri(api, "/");
        using var response = await http.GetAsync(rootUri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw CfApiErrors.NotCloudFoundry(rootUri, $"its root document answered {(int)response.StatusCode} {response.ReasonPhrase}. Is {api} a Cloud Foundry API endpoint?");

        const int maxRootBytes = 1024 * 1024;
        var body = await ReadUpToAsync(response, maxRootBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
            throw CfApiErrors.NotCloudFoundry(rootUri, $"its root document is larger than {maxRootBytes / 1024} kB. Is {api} a Cloud Foundry API endpoint?");

        RootDocument? root = null;
        try
        {
            root = JsonSerializer.Deserialize(body, CfJsonContext.Default.RootDocument);
        }
        catch (JsonException)
        {
            // described below
        }
        var links = root?.Links;
        if (links is null || !links.TryGetValue("cloud_controller_v3", out var v3) || v3 is null
            || !(links.TryGetValue("login", out var login) && login is not null || links.TryGetValue("uaa", out login) && login is not null))
        {
            var kind = response.Content.Headers.ContentType?.MediaType ?? "unknown content";
            throw CfApiErrors.NotCloudFoundry(rootUri,
                $"it is not a Cloud Foundry root document ({kind}; no cloud_controller_v3 and login links). Is {api} the API endpoint (usually https://api.<system domain>)?");
        }

        links.TryGetValue("log_cache", out var logCache);
        return new CfEndpoints(
            Api: TrimSlash(api),
            Login: TrimSlash(new Uri(login!.Href)),
            LogCache: logCache is null ? null : TrimSlash(new Uri(logCache.Href)),
            ApiVersion: v3.Meta?.Version);
    }

    private static async Task<byte[]?> ReadUpToAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Uri TrimSlash(Uri uri) => new(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));

    private HttpClient NewClient(Uri baseAddress, DelegatingHandler pipeline)
    {
        var client = new HttpClient(pipeline, disposeHandler: false)
        {
            BaseAddress = new Uri(baseAddress.ToString().TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"CfTasks/{typeof(CfSession).Assembly.GetName().Version?.ToString(3)}");
        _clients.Add(client);
        return client;
    }

    private static RefitSettings RefitSettingsFor() => new()
    {
        ContentSerializer = new SystemTextJsonContentSerializer(CfJson.Options),
        ExceptionFactory = async response => response.IsSuccessStatusCode
            ? null
            : await CfApiErrors.FromResponseAsync(response).ConfigureAwait(false),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
        _transport.Dispose();
    }
}

/// <summary>The endpoints of a foundation, from its root document.</summary>
public sealed record CfEndpoints(Uri Api, Uri Login, Uri? LogCache, string? ApiVersion);

/// <summary>The serializer options for every wire type (source-generated, snake_case).</summary>
internal static class CfJson
{
    public static readonly JsonSerializerOptions Options = new(CfJsonContext.Default.Options);
}
