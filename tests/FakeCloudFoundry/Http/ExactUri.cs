namespace FakeCloudFoundry.Http;

/// <summary>A Uri whose string form is exactly the URL given (System.Uri would add a trailing '/').</summary>
internal sealed class ExactUri(string url) : Uri(url)
{
    public override string ToString() => OriginalString;
}
