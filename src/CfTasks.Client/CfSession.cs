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
    private readonly HttpMessageHandler _transport;
    private readonly List<HttpClient> _clients = [];

    private CfSession(CfEndpoints endpoints, CfClientOptions options, HttpMessageHandler transport, CfCredential credential)
    {
        Endpoints = endpoints;
        _transport = transport;
        var pipeline = CfResiliencePipeline.Create(options);

        var uaaHttp = NewClient(endpoints.Login, new CfResilienceHandler(pipeline, options) { InnerHandler = new CfTraceHandler { InnerHandler = transport } });
        Tokens = new TokenManager(RestService.For<IUaaApi>(uaaHttp, RefitSettings()), options, credential, options.Clock);

        var cloudControllerHttp = NewClient(endpoints.Api, Authenticated(pipeline, options, TokenRejection.CloudController));
        CloudController = RestService.For<ICloudControllerApi>(cloudControllerHttp, RefitSettings());
        if (endpoints.LogCache is { } logCache)
        {
            // log-cache reads answer 429 by halving their page, so this API's pipeline does not retry 429 itself.
            var logPipeline = CfResiliencePipeline.Create(options, retryRateLimited: false);
            LogCache = RestService.For<ILogCacheApi>(NewClient(logCache, Authenticated(logPipeline, options, TokenRejection.LogCache)), RefitSettings());
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

    /// <summary>
    /// Who signed in, as a key that tells two sign-ins apart: the user's id (unique across identity origins) or the
    /// client's id, from the access token; the user name when the token says neither. Null when nothing is known.
    /// </summary>
    public string? SignedInAs => Tokens.Claims switch
    {
        { UserId.Length: > 0 } user => "user " + user.UserId,
        { ClientId.Length: > 0 } client => "client " + client.ClientId,
        _ => Target.User is { } name ? "name " + name : null,
    };

    /// <summary>When the current access token expires.</summary>
    public DateTimeOffset? TokenExpiresAt => Tokens.ExpiresAt is { } expires ? new DateTimeOffset(expires, TimeSpan.Zero) : null;

    internal ICloudControllerApi CloudController { get; }
    internal ILogCacheApi? LogCache { get; }

    /// <summary>
    /// Discovers the foundation (unless <see cref="CfConnectRequest.Endpoints"/> already says where it is), signs in and
    /// targets the org/space of <paramref name="request"/>. Credentials and tokens are never sent over plain http to a host
    /// that is not loopback unless <see cref="CfClientOptions.AllowUnencryptedAuthentication"/> says so.
    /// </summary>
    public static async Task<CfSession> ConnectAsync(CfConnectRequest request, CancellationToken cancellationToken)
    {
        ValidateApiEndpoint(request.ApiEndpoint);
        var session = await OpenAsync(request, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Reads the foundation's root document: where its UAA and log-cache are. Sends nothing secret. A caller that needs
    /// the endpoints before signing in (to show the passcode page) passes them on in <see cref="CfConnectRequest.Endpoints"/>.
    /// </summary>
    public static async Task<CfEndpoints> DiscoverAsync(Uri api, CfClientOptions options, CancellationToken cancellationToken)
    {
        ValidateApiEndpoint(api);
        RequireEncryption(api, "the API endpoint", options);
        using var transport = CfTransport.Create(options);
        return await DiscoverAsync(api, options, transport, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The session's current access token, renewed first when it is about to expire (what <c>cf oauth-token</c> prints).</summary>
    public async Task<CfBearerToken> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var (token, expires) = await Tokens.GetAccessTokenWithExpiryAsync(cancellationToken).ConfigureAwait(false);
        return new CfBearerToken(token, expires is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null, Endpoints.Api);
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
    private static async Task<CfSession> OpenAsync(CfConnectRequest request, CancellationToken cancellationToken)
    {
        var options = request.Options;
        RequireEncryption(request.ApiEndpoint, "the API endpoint", options);
        var transport = CfTransport.Create(options);
        try
        {
            var endpoints = request.Endpoints ?? await DiscoverAsync(request.ApiEndpoint, options, transport, cancellationToken).ConfigureAwait(false);
            RequireEncryption(endpoints.Login, "the login endpoint the root document names", options);
            if (endpoints.LogCache is { } logCache) RequireEncryption(logCache, "the log-cache endpoint the root document names", options);
            var session = new CfSession(endpoints, options, transport, request.Credential);
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

    /// <summary>
    /// Plain http is for loopback only (a local foundation or a test), unless the caller accepts that credentials and
    /// tokens cross the network unencrypted.
    /// </summary>
    private static void RequireEncryption(Uri endpoint, string role, CfClientOptions options)
    {
        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback && !options.AllowUnencryptedAuthentication)
            throw CfErrors.InsecureEndpoint(endpoint, role);
    }

    /// <summary>Reads the root document and checks it is Cloud Foundry's.</summary>
    private static async Task<CfEndpoints> DiscoverAsync(Uri api, CfClientOptions options, HttpMessageHandler transport, CancellationToken cancellationToken)
    {
        const int maxRootBytes = 1024 * 1024;
        // Discovery retries little: an endpoint that refuses or is not CF should fail fast with a clear message.
        var pipeline = CfResiliencePipeline.Create(options with { MaxRetries = Math.Min(options.MaxRetries, 2) });
        using var http = new HttpClient(new CfResilienceHandler(pipeline, options) { InnerHandler = new CfTraceHandler { InnerHandler = transport } }, disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var rootUri = new Uri(api, "/");
        using var response = await http.GetAsync(rootUri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired) throw CfErrors.ProxyAuthenticationFailed(rootUri);
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
        links.TryGetValue("uaa", out var uaa);
        return new CfEndpoints(
            Api: TrimSlash(api),
            Login: TrimSlash(Absolute(login!)),
            LogCache: logCache is null ? null : TrimSlash(Absolute(logCache)),
            ApiVersion: v3.Meta?.Version)
        {
            Uaa = uaa is null ? null : TrimSlash(Absolute(uaa)),
        };

        Uri Absolute(Link link) => Uri.TryCreate(link.Href, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw CfApiErrors.NotCloudFoundry(rootUri, $"its root document links to '{link.Href}', which is not an absolute http(s) URL.");
    }

    private static Uri TrimSlash(Uri uri) => new(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));


    /// <summary>
    /// The handler chain of an API that takes the session's token: resilience, then auth, then the tracer. The token goes
    /// only to the hosts the root document named (<see cref="CfEndpoints.Authorities"/>); a link elsewhere is refused.
    /// </summary>
    private DelegatingHandler Authenticated(Polly.ResiliencePipeline<HttpResponseMessage> pipeline, CfClientOptions options, TokenRejection rejection) =>
        new CfResilienceHandler(pipeline, options)
        {
            InnerHandler = new CfAuthHandler(Tokens, Endpoints.Authorities, rejection) { InnerHandler = new CfTraceHandler { InnerHandler = _transport } },
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

    /// <summary>Closes the connection: its tokens and credential are dropped from memory at once; later calls fail as not connected.</summary>
    public void Dispose()
    {
        Tokens.Forget();
        foreach (var client in _clients) client.Dispose();
        _transport.Dispose();
    }
}

/// <summary>The endpoints of a foundation, from its root document.</summary>
public sealed record CfEndpoints(Uri Api, Uri Login, Uri? LogCache, string? ApiVersion)
{
    /// <summary>The root document's <c>uaa</c> link (UAA's own host; sign-in goes to <see cref="Login"/>).</summary>
    public Uri? Uaa { get; init; }

    /// <summary>Where the session's token may go: the scheme, host and port of every endpoint the root document named.</summary>
    public IReadOnlyCollection<string> Authorities =>
        new[] { Api, Login, Uaa, LogCache }.OfType<Uri>().Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Where a person gets a one-time passcode for single sign-on: the login host's <c>/passcode</c> page.</summary>
    public Uri PasscodePage => new(Login.ToString().TrimEnd('/') + "/passcode");
}

/// <summary>An access token handed out for use outside the session (what <c>cf oauth-token</c> prints). Its text never shows the token.</summary>
public sealed record CfBearerToken(string AccessToken, DateTimeOffset? ExpiresAt, Uri ApiEndpoint)
{
    /// <summary>Always <c>bearer</c>: UAA's token type.</summary>
    public string TokenType => "bearer";

    /// <inheritdoc />
    public override string ToString() => $"access token ({TokenType}) for {ApiEndpoint}, expires {ExpiresAt:u}";
}

/// <summary>The serializer options for every wire type (source-generated, snake_case).</summary>
internal static class CfJson
{
    public static readonly JsonSerializerOptions Options = new(CfJsonContext.Default.Options);
}
