using System.Management.Automation;
using System.Net;
using CfTasks.Client;
using CfTasks.Runtime;

namespace CfTasks.Commands;

/// <summary>Gets the connection's access token, like <c>cf oauth-token</c> (help: docs/cmdlets/Get-CfAccessToken.md).</summary>
[Cmdlet(VerbsCommon.Get, "CfAccessToken")]
[OutputType(typeof(CfAccessToken))]
public sealed class GetCfAccessTokenCommand : CfTargetedCmdlet
{
    /// <summary>Return the token as a string instead of a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        CfBearerToken token = null!;
        Run(async ct => token = await session.GetAccessTokenAsync(ct).ConfigureAwait(false));

        WriteObject(new CfAccessToken
        {
            Token = AsPlainText.IsPresent ? token.AccessToken : Secure(token.AccessToken),
            TokenType = token.TokenType,
            ExpiresAt = token.ExpiresAt,
            ApiEndpoint = token.ApiEndpoint,
        });
    }

    private static System.Security.SecureString Secure(string text)
    {
        var secure = new NetworkCredential("", text).SecurePassword;
        secure.MakeReadOnly();
        return secure;
    }
}
