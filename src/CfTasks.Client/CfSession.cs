using System.Net;
using System.Text.Json;
using CfTasks.Client.Api;
using CfTasks.Client.Auth;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Models;
using CfTasks.Client.Services;
using Refit;

namespace CfTasks.Client;

/// <summary>
/// One signed-in connection to a foundation: the endpoints its root document named, its tokens, the HTTP pipelines and
/// the services built on them, each given what it needs. Made by <see cref="ConnectAsync"/>; its <see cref="Target"/> is
/// the object users hold.
/// </summary>
public sealed class CfSession : ICfTargetSession, IDisposable
{
    private readonly SocketsHttpHandler _transport;
    private readonly List<HttpClient> _clients = [];

    private CfSession(CfEndpoints endpoints, CfClientOptions options, SocketsHttpHandler transport, CfCredential credential)
    {
        Endpoints = endpoints;
        _transport = transport;
        var pipeline = CfResiliencePipeline.Create(options);

        var uaaHttp = NewClient(endpoints.Login, new CfResilienceHandler(pipeline, options.RequestTimeout) { InnerHandler = new CfTraceHandler { InnerHandler = transport } });
        Tokens = new TokenManager(RestService.For<IUaaApi>(uaaHttp, RefitSettings()), options, credential, options.Clock);

        var cloudControllerHttp = NewClient(endpoints.Api, Authenticated(pipeline, options, endpoints.Api, TokenRejection.CloudController));
        CloudController = RestService.For<ICloudControllerApi>(cloudControllerHttp, RefitSettings());
        if (endpoints.LogCache is { } logCache)
        {
            // log-cache reads answer 429 by halving their page, so this API's pipeline does not retry 429 itself.
            var logPipeline = CfResiliencePipeline.Create(options, retryRateLimited: false);
            LogCache = RestService.For<ILogCacheApi>(NewClient(logCache, Authenticated(logPipeline, options, logCache, TokenRejection.LogCache)), RefitSettings());
        }

        Target = new CfTarget { ApiEndpoint = endpoints.Api, ApiVersion = endpoints.ApiVersion, Session = this };
        var paging = new PagedReader(cloudControllerHttp);
        Targeting = new TargetService(CloudController, paging, Target);
        Apps = new AppService(CloudController, paging, Target);
        Tasks = new TaskService(CloudController, paging, Apps, Target);
        Logs = new LogService(LogCache, Tasks, Target, options.Clock);
        Completion = new CompletionService(CloudController, paging, Target);
    }

    /// <summary>The endpoints found in the root document.</summary>
    public CfEndpoints Endpoints { get; }

    /// <summary>The session's tokens.</summary>
    public TokenManager Tokens { get; }

    /// <summary>The user-facing target object backed by this session.</summary>
    public CfTarget Target { get; }

    /// <summary>Targeting an org and space.</summary>
    public TargetService Targeting { get; }

    /// <summary>App look-ups.</summary>
    public AppService Apps { get; }

    /// <summary>Task listing, start, cancel and wait.</summary>
    public TaskService Tasks { get; }

    /// <summary>Task logs from log-cache: recent, tail, follow.</summary>
    public LogService Logs { get; }

    /// <summary>Names for tab completion.</summary>
    public CompletionService Completion { get; }

    /// <summary>When the current access token expires.</summary>
    public DateTimeOffset? TokenExpiresAt => Tokens.ExpiresAt is { } expires ? new DateTimeOffset(expires, TimeSpan.Zero) : null;

    internal ICloudControllerApi CloudController { get; }
    internal ILogCacheApi? LogCache { get; }

    /// <summary>Discovers the foundation, signs in and targets the org/space of <paramref name="request"/>.</summary>
    public static async Task<CfSession> ConnectAsync(CfConnectRequest request, CancellationToken cancellationToken)
    {
        ValidateApiEndpoint(request.ApiEndpoint);
        var session = await OpenAsync(request.ApiEndpoint, request.Credential, request.Options, cancellationToken).ConfigureAwait(false);
        try
        {
            var claims = session.Tokens.Claims;
            session.Target.User = claims?.UserName ?? claims?.ClientId ?? (request.Credential as CfCredential.Password)?.User.UserName
                                  ?? (request.Credential as CfCredential.ClientCredentials)?.Client.UserName;
            if (request.Organization is not null || request.Space is not null)
                await session.Targeting.SetTargetAsync(request.Organization, request.Space, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Reuses the session of a user logged in with the cf CLI: its tokens, endpoint and target from <c>.cf/config.json</c>.</summary>
    public static async Task<CfSession> ConnectFromCfConfigAsync(string? cfHome, CfClientOptions options, CancellationToken cancellationToken)
    {
        var (request, config) = await CfCliConfig.ReadAsync(CfCliConfig.PathFor(cfHome), options, cancellationToken).ConfigureAwait(false);
        var session = await ConnectAsync(request, cancellationToken).ConfigureAwait(false);
        if (config.OrganizationFields is { GUID.Length: > 0 } org)
        {
            session.Target.Organization = org.Name;
            session.Target.OrganizationGuid = org.GUID;
            if (config.SpaceFields is { GUID.Length: > 0 } space)
            {
                session.Target.Space = space.Name;
                session.Target.SpaceGuid = space.GUID;
            }
        }
        return session;
    }

    /// <summary>An API endpoint must be an absolute http(s) URL (<see cref="CfApiEndpoint.Parse"/> makes one from what people type).</summary>
    public static void ValidateApiEndpoint(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(endpoint.Host))
            throw CfErrors.InvalidApiEndpoint(endpoint.OriginalString, "it is not an absolute http or https URL");
    }

    /// <summary>Builds a session: discovers endpoints and signs in. Does not target an org or space.</summary>
    private static async Task<CfSession> OpenAsync(Uri api, CfCredential credential, CfClientOptions options, CancellationToken cancellationToken)
    {
        var transport = CreateTransport(options);
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
    private static async Task<CfEndpoints> DiscoverAsync(Uri api, CfClientOptions options, SocketsHttpHandler transport, CancellationToken cancellationToken)
    {
        const int maxRootBytes = 1024 * 1024;
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

        RootDocument? root = null;
        using (var body = await BodyBuffer.ReadAsync(response.Content, maxRootBytes, cancellationToken).ConfigureAwait(false))
        {
            if (!body.IsComplete)
                throw CfApiErrors.NotCloudFoundry(rootUri, $"its root document is larger than {maxRootBytes / 1024} kB. Is {api} a Cloud Foundry API endpoint?");
            try
            {
                root = JsonSerializer.Deserialize(body.Span, CfJsonContext.Default.RootDocument);
            }
            catch (JsonException)
            {
                // described below
            }
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

    private static Uri TrimSlash(Uri uri) => new(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));

    private static SocketsHttpHandler CreateTransport(CfClientOptions options)
    {
        var transport = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            MaxConnectionsPerServer = 32,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (options.SkipCertificateValidation)
            transport.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        return transport;
    }

    /// <summary>The handler chain of an API that takes the session's token: resilience, then auth, then the tracer.</summary>
    private DelegatingHandler Authenticated(Polly.ResiliencePipeline<HttpResponseMessage> pipeline, CfClientOptions options, Uri host, TokenRejection rejection) =>
        new CfResilienceHandler(pipeline, options.RequestTimeout)
        {
            InnerHandler = new CfAuthHandler(Tokens, [host.GetLeftPart(UriPartial.Authority)], rejection) { InnerHandler = new CfTraceHandler { InnerHandler = _transport } },
        };

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

    private static RefitSettings RefitSettings() => new()
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
