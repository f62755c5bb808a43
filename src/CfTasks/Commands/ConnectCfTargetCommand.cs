using System.Management.Automation;
using System.Net;
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
    private const string ClientCredentialSet = "ClientCredential";
    private const string CfConfigSet = "CfConfig";

    /// <summary>The Cloud Controller API URL, e.g. https://api.sys.example.com. Defaults to CF_API.</summary>
    [Parameter(Position = 0, ParameterSetName = CredentialSet)]
    [Parameter(Position = 0, ParameterSetName = ClientCredentialSet)]
    [Alias("Api", "a")]
    public string? ApiEndpoint { get; set; }

    /// <summary>A user name and password (OAuth2 password grant, as <c>cf login</c>).</summary>
    [Parameter(ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A client id (user name) and secret (password) for the client_credentials grant.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientCredentialSet)]
    [Credential]
    public PSCredential? ClientCredential { get; set; }

    /// <summary>The organization to target. Defaults to CF_ORG.</summary>
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = ClientCredentialSet)]
    [Alias("o", "Org")]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    [ValidateCfName]
    public string? Organization { get; set; }

    /// <summary>The space to target. Defaults to CF_SPACE.</summary>
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = ClientCredentialSet)]
    [Alias("s")]
    [ArgumentCompleter(typeof(SpaceNameCompleter))]
    [ValidateCfName]
    public string? Space { get; set; }

    /// <summary>Accept any TLS certificate (self-signed foundations). Off by default; warns when used.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateValidation { get; set; }

    /// <summary>Reuse the session of a user logged in with the cf CLI (its config.json).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CfConfigSet)]
    public SwitchParameter FromCfConfig { get; set; }

    /// <summary>The folder holding <c>.cf/config.json</c>; defaults to CF_HOME, then the home folder.</summary>
    [Parameter(ParameterSetName = CfConfigSet)]
    public string? CfHome { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var options = new CfClientOptions { SkipCertificateValidation = SkipCertificateValidation.IsPresent };
        if (SkipCertificateValidation.IsPresent)
            WriteWarning("Certificate validation is off for this connection: the server's identity is not checked.");

        CfSession? session = null;
        if (FromCfConfig.IsPresent)
        {
            Run(async ct => session = await CfSession.ConnectFromCfConfigAsync(CfHome, options, ct).ConfigureAwait(false));
        }
        else
        {
            var request = BuildRequest(options);
            Run(async ct => session = await CfSession.ConnectAsync(request, ct).ConfigureAwait(false));
        }

        CfTargetRegistry.Add(session!.Target);
        WriteObject(session.Target);
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

        return new CfConnectRequest(api, ChooseCredential())
        {
            Organization = Organization ?? NonEmptyEnvironment("CF_ORG"),
            Space = Space ?? NonEmptyEnvironment("CF_SPACE"),
            Options = options,
        };
    }

    /// <summary>Explicit parameters first, then CF_CLIENT_ID/CF_CLIENT_SECRET, then CF_USERNAME/CF_PASSWORD.</summary>
    private CfCredential ChooseCredential()
    {
        if (ClientCredential is not null) return new CfCredential.ClientCredentials(Network(ClientCredential));
        if (Credential is not null) return new CfCredential.Password(Network(Credential));

        if (NonEmptyEnvironment("CF_CLIENT_ID") is { } clientId)
        {
            var secret = Environment.GetEnvironmentVariable("CF_CLIENT_SECRET");
            if (string.IsNullOrEmpty(secret)) ThrowTerminatingError(ErrorCatalog.NoCredential("CF_CLIENT_ID is set but CF_CLIENT_SECRET is empty.", "CF_CLIENT_SECRET"));
            return new CfCredential.ClientCredentials(new NetworkCredential(clientId, secret));
        }
        if (NonEmptyEnvironment("CF_USERNAME") is { } user)
        {
            var password = Environment.GetEnvironmentVariable("CF_PASSWORD");
            if (string.IsNullOrEmpty(password)) ThrowTerminatingError(ErrorCatalog.NoCredential("CF_USERNAME is set but CF_PASSWORD is empty.", "CF_PASSWORD"));
            return new CfCredential.Password(new NetworkCredential(user, password));
        }

        ThrowTerminatingError(ErrorCatalog.NoCredential(
            "No credentials: give -Credential or -ClientCredential, set CF_USERNAME and CF_PASSWORD (or CF_CLIENT_ID and CF_CLIENT_SECRET), or use -FromCfConfig.", null));
        return null!;
    }

    private static NetworkCredential Network(PSCredential credential) =>
        new(credential.UserName.TrimStart('\\'), credential.Password);

    private static string? NonEmptyEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
