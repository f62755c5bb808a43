using CfTasks.Client.Errors;

namespace CfTasks.Client;

/// <summary>An API endpoint as people type it for <c>cf api</c>.</summary>
public static class CfApiEndpoint
{
    /// <summary>
    /// The endpoint's URL: a host name alone (<c>api.sys.example.com</c>, with or without a port) means
    /// <c>https://</c> that host, as <c>cf api</c> takes it; an http or https URL is used as it is, without a trailing
    /// slash. Anything else is an InvalidApiEndpoint error that says what is wrong with the text, never a guessed URL.
    /// </summary>
    public static Uri Parse(string text)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0) throw CfErrors.InvalidApiEndpoint(text ?? "", "it is empty");
        if (trimmed.IndexOfAny([' ', '\t', '\r', '\n']) >= 0) throw CfErrors.InvalidApiEndpoint(trimmed, "it contains white space");

        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd >= 0 ? trimmed.Substring(0, schemeEnd) : null;
        if (scheme is not null && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
            throw CfErrors.InvalidApiEndpoint(trimmed, $"its scheme is '{scheme}', and Cloud Foundry's API is reached over https (or http)");

        var url = scheme is null ? "https://" + trimmed : trimmed;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown || uri.Host.Length == 0)
            throw CfErrors.InvalidApiEndpoint(trimmed, "its host name is not valid");
        if (uri.UserInfo.Length > 0) throw CfErrors.InvalidApiEndpoint(SafeText(uri), "it carries a user name or password; give credentials separately");
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0) throw CfErrors.InvalidApiEndpoint(trimmed, "it has a query or fragment; give the endpoint alone");
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    private static string SafeText(Uri uri) => new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();
}
