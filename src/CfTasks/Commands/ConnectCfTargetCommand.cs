using System.Management.Automation;
using System.Management.Automation.Host;
using System.Net;
using System.Security;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Output;
using CfTasks.Completion;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Connects to a Cloud Foundry foundation and makes it the session's default target (help: docs/cmdlets/Connect-CfTarget.md).</summary>
[Cmdlet(VerbsCommunications.Connect, "CfTarget", DefaultParameterSetName = CredentialSet)]
[OutputType(typeof(CfTarget))]
public sealed class ConnectCfTargetCommand : CfCmdlet
{
    private const string CredentialSet = "Credential";
    private const string OriginSet = "Origin";
    private const string ClientCredentialSet = "ClientCredential";
    private const string PasscodeSet = "Passcode";
    private const string SsoSet = "Sso";
    private const string AssertionSet = "Assertion";
    private const string CfConfigSet = "CfConfig";

    /// <summary>The Cloud Controller API URL, e.g. https://api.sys.example.com. Defaults to CF_API.</summary>
    [Parameter(Position = 0, ParameterSetName = CredentialSet)]
    [Parameter(Position = 0, ParameterSetName = OriginSet)]
    [Parameter(Position = 0, ParameterSetName = ClientCredentialSet)]
    [Parameter(Position = 0, ParameterSetName = PasscodeSet)]
    [Parameter(Position = 0, ParameterSetName = SsoSet)]
    [Parameter(Position = 0, ParameterSetName = AssertionSet)]
    [Alias("Api", "a")]
    public string? ApiEndpoint { get; set; }

    /// <summary>A user name and password (OAuth2 password grant, as <c>cf login</c>).</summary>
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = OriginSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The identity provider's origin for the password grant (UAA login_hint, as <c>cf login --origin</c>).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OriginSet)]
    [ValidateCfName]
    public string? Origin { get; set; }

    /// <summary>A client id (user name) and secret (password): the client_credentials grant, or the client of -Assertion.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientCredentialSet)]
    [Parameter(ParameterSetName = AssertionSet)]
    [Credential]
    public PSCredential? ClientCredential { get; set; }

    /// <summary>A one-time passcode from the login host's /passcode page (as <c>cf login --sso-passcode</c>).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PasscodeSet)]
    [AllowNull]
    public SecureString? Passcode { get; set; }

    /// <summary>Show the passcode page and prompt for a one-time passcode (as <c>cf login --sso</c>).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SsoSet)]
    public SwitchParameter Sso { get; set; }

    /// <summary>A JWT bearer assertion such as a CI system's OIDC token (as <c>cf auth --assertion</c>).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AssertionSet)]
    public SecureString? Assertion { get; set; }

    /// <summary>The organization to target. Defaults to CF_ORG.</summary>
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = OriginSet)]
    [Parameter(ParameterSetName = ClientCredentialSet)]
    [Parameter(ParameterSetName = PasscodeSet)]
    [Parameter(ParameterSetName = SsoSet)]
    [Parameter(ParameterSetName = AssertionSet)]
    [Alias("o", "Org")]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    [ValidateCfName]
    public string? Organization { get; set; }

    /// <summary>The space to target. Defaults to CF_SPACE.</summary>
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = OriginSet)]
    [Parameter(ParameterSetName = ClientCredentialSet)]
    [Parameter(ParameterSetName = PasscodeSet)]
    [Parameter(ParameterSetName = SsoSet)]
    [Parameter(ParameterSetName = AssertionSet)]
    [Alias("s")]
    [ArgumentCompleter(typeof(SpaceNameCompleter))]
    [ValidateCfName]
    public string? Space { get; set; }

    /// <summary>Accept any TLS certificate (self-signed foundations). Off by default; warns when used.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateValidation { get; set; }

    /// <summary>Send credentials and tokens over plain http to a host that is not loopback (refused otherwise).</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>A proxy for every request, as Invoke-RestMethod's -Proxy (else HTTPS_PROXY / HTTP_PROXY / NO_PROXY).</summary>
    [Parameter]
    public Uri? Proxy { get; set; }

    /// <summary>The proxy's user name and password.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>Sign in to the proxy as the current Windows user.</summary>
    [Parameter]
    public SwitchParameter ProxyUseDefaultCredentials { get; set; }

    /// <summary>Reuse the session of a user logged in with the cf CLI (its config.json).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CfConfigSet)]
    public SwitchParameter FromCfConfig { get; set; }

    /// <summary>The folder holding <c>.cf/config.json</c>; defaults to where the cf CLI looks.</summary>
    [Parameter(ParameterSetName = CfConfigSet)]
    public string? CfHome { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var options = BuildOptions();
        if (SkipCertificateValidation.IsPresent)
            WriteWarning("Certificate validation is off for this connection: the server's identity is not checked.");
        if (AllowUnencryptedAuthentication.IsPresent)
            WriteWarning("Unencrypted authentication is allowed for this connection: over plain http, credentials and tokens can be read on the network.");

        CfSession? session = null;
        if (FromCfConfig.IsPresent)
        {
            Run(async ct => session = await CfSession.ConnectFromCfConfigAsync(CfHome, options, ct).ConfigureAwait(false));
        }
        else
        {
            var request = BuildRequest(options);
            if (request.Credential is CfCredential.Passcode { Code.Length: 0 }) request = PromptForPasscode(request);
            Run(async ct => session = await CfSession.ConnectAsync(request, ct).ConfigureAwait(false));
        }

        CfTargetRegistry.Add(session!.Target);
        WriteObject(session.Target);
    }

    private CfClientOptions BuildOptions()
    {
        if (Proxy is null && (ProxyCredential is not null || ProxyUseDefaultCredentials.IsPresent))
            ThrowTerminatingError(ErrorCatalog.ProxyCredentialWithoutProxy());
        try
        {
            return new CfClientOptions
            {
                SkipCertificateValidation = SkipCertificateValidation.IsPresent,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication.IsPresent,
                ConnectTimeout = DialTimeout() ?? new CfClientOptions().ConnectTimeout,
                Proxy = Proxy is null ? null : CfProxy.Create(Proxy, ProxyCredential is null ? null : Network(ProxyCredential), ProxyUseDefaultCredentials.IsPresent),
            };
        }
        catch (CfException error)
        {
            ThrowTerminatingError(ErrorCatalog.From(error));
            return null!;
        }
    }

    /// <summary>CF_DIAL_TIMEOUT, whole seconds, as the cf CLI reads it; anything else is ignored with a warning.</summary>
    private TimeSpan? DialTimeout()
    {
        if (NonEmptyEnvironment("CF_DIAL_TIMEOUT") is not { } text) return null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            return TimeSpan.FromSeconds(seconds);
        WriteWarning($"CF_DIAL_TIMEOUT '{text}' is not a whole number of seconds above 0; connecting with the default timeout.");
        return null;
    }

    private CfConnectRequest BuildRequest(CfClientOptions options)
    {
        var apiText = ApiEndpoint ?? Environment.GetEnvironmentVariable("CF_API");
        if (string.IsNullOrWhiteSpace(apiText)) ThrowTerminatingError(ErrorCatalog.NoApiEndpoint());
        Uri api = null!;
        try
        {
            api = CfApiEndpoint.Parse(apiText!);
        }
        catch (CfException error)
        {
            ThrowTerminatingError(ErrorCatalog.From(error));
        }

        if (Assertion is not null && ClientCredential is not null)
        {
            // -Assertion signs in with the OAuth client -ClientCredential names, as 'cf auth CLIENT SECRET --assertion' does.
            var client = Network(ClientCredential);
            options = options with { OAuthClientId = client.UserName, OAuthClientSecret = client.Password };
        }
        return new CfConnectRequest(api, ChooseCredential())
        {
            Organization = Organization ?? NonEmptyEnvironment("CF_ORG"),
            Space = Space ?? NonEmptyEnvironment("CF_SPACE"),
            Options = options,
        };
    }

    /// <summary>
    /// The sign-in mode's parameters first; without any, CF_CLIENT_ID/CF_CLIENT_SECRET, then CF_USERNAME/CF_PASSWORD,
    /// then CF_ASSERTION. -Origin takes the user from -Credential or CF_USERNAME/CF_PASSWORD.
    /// </summary>
    private CfCredential ChooseCredential()
    {
        switch (ParameterSetName)
        {
            case PasscodeSet or SsoSet:
                return new CfCredential.Passcode(Passcode is null ? "" : Plain(Passcode));
            case AssertionSet:
                return new CfCredential.Assertion(Plain(Assertion!));
            case ClientCredentialSet:
                return new CfCredential.ClientCredentials(Network(ClientCredential!));
            case OriginSet:
                return new CfCredential.Password(Credential is null ? UserFromEnvironment() ?? NoUserForOrigin() : Network(Credential)) { Origin = Origin };
        }
        if (Credential is not null) return new CfCredential.Password(Network(Credential));

        if (NonEmptyEnvironment("CF_CLIENT_ID") is { } clientId)
        {
            var secret = Environment.GetEnvironmentVariable("CF_CLIENT_SECRET");
            if (string.IsNullOrEmpty(secret)) ThrowTerminatingError(ErrorCatalog.NoCredential("CF_CLIENT_ID is set but CF_CLIENT_SECRET is empty.", "CF_CLIENT_SECRET"));
            return new CfCredential.ClientCredentials(new NetworkCredential(clientId, secret));
        }
        if (UserFromEnvironment() is { } user) return new CfCredential.Password(user);
        if (NonEmptyEnvironment("CF_ASSERTION") is { } assertion) return new CfCredential.Assertion(assertion);

        ThrowTerminatingError(ErrorCatalog.NoCredential(
            "No credentials: give -Credential, -ClientCredential, -Passcode (or -Sso) or -Assertion; set CF_CLIENT_ID and CF_CLIENT_SECRET, " +
            "CF_USERNAME and CF_PASSWORD, or CF_ASSERTION; or use -FromCfConfig.", null));
        return null!;
    }

    private NetworkCredential? UserFromEnvironment()
    {
        if (NonEmptyEnvironment("CF_USERNAME") is not { } user) return null;
        var password = Environment.GetEnvironmentVariable("CF_PASSWORD");
        if (string.IsNullOrEmpty(password)) ThrowTerminatingError(ErrorCatalog.NoCredential("CF_USERNAME is set but CF_PASSWORD is empty.", "CF_PASSWORD"));
        return new NetworkCredential(user, password);
    }

    private NetworkCredential NoUserForOrigin()
    {
        ThrowTerminatingError(ErrorCatalog.NoCredential($"-Origin '{Origin}' signs a user in with a password: give -Credential, or set CF_USERNAME and CF_PASSWORD.", Origin));
        return null!;
    }

    /// <summary>
    /// -Sso, or -Passcode without a value: show where to get a passcode (the login host's /passcode page, from the root
    /// document) and ask for it, as 'cf login --sso' does. A session that cannot prompt (-NonInteractive, a CI agent, a
    /// hosted runspace) gets a clear error naming the page instead.
    /// </summary>
    private CfConnectRequest PromptForPasscode(CfConnectRequest request)
    {
        CfEndpoints endpoints = null!;
        Run(async ct => endpoints = await CfSession.DiscoverAsync(request.ApiEndpoint, request.Options, ct).ConfigureAwait(false));

        SecureString? code = null;
        try
        {
            var field = new FieldDescription("Passcode") { IsMandatory = true };
            field.SetParameterType(typeof(SecureString));
            var answers = Host.UI?.Prompt("", $"Temporary Authentication Code ( Get one at {endpoints.PasscodePage} )", [field]);
            if (answers is not null && answers.TryGetValue("Passcode", out var answer)) code = answer?.BaseObject as SecureString;
        }
        catch (Exception error) when (error is PSInvalidOperationException or HostException or NotImplementedException or PSNotImplementedException)
        {
            // this host cannot prompt (-NonInteractive): say what to do instead
        }
        if (code is null || code.Length == 0) ThrowTerminatingError(ErrorCatalog.PasscodeNeeded(endpoints.PasscodePage));
        return request with { Credential = new CfCredential.Passcode(Plain(code!)), Endpoints = endpoints };
    }

    private static NetworkCredential Network(PSCredential credential) =>
        new(credential.UserName.TrimStart('\\'), credential.Password);

    private static string Plain(SecureString secret) => new NetworkCredential("", secret).Password;

    private static string? NonEmptyEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
