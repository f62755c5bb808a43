using System.Net;

namespace CfTasks.Client.Http;

/// <summary>Status codes that <see cref="HttpStatusCode"/> lacks on .NET Framework, as constants usable in patterns.</summary>
internal static class HttpStatusCodes
{
    /// <summary>429 (HttpStatusCode.TooManyRequests on .NET Core 2.1+).</summary>
    internal const HttpStatusCode TooManyRequests = (HttpStatusCode)429;
}
