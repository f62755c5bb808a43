using System.Text.Json;

namespace FakeCloudFoundry.Http;

/// <summary>A Cloud Controller V3 error: status plus <c>{"errors":[{"detail","title","code"}]}</c> (CC's key order).</summary>
internal sealed record CcError(int Status, string Title, int Code, string Detail)
{
    public static CcError InvalidAuthToken() => new(401, "CF-InvalidAuthToken", 1000, "Invalid Auth Token");
    public static CcError MessageParseError() => new(400, "CF-MessageParseError", 1001, "Request invalid due to parse error: invalid request body");
    public static CcError UnknownRoute() => new(404, "CF-NotFound", 10000, "Unknown request");
    public static CcError UnknownError(int status = 500) => new(status, "UnknownError", 10001, "An unknown error occurred.");
    public static CcError NotAuthenticated() => new(401, "CF-NotAuthenticated", 10002, "Authentication error");
    public static CcError NotAuthorized() => new(403, "CF-NotAuthorized", 10003, "You are not authorized to perform the requested action");
    public static CcError BadQueryParameter(string message) => new(400, "CF-BadQueryParameter", 10005, "The query parameter is invalid: " + message);
    public static CcError Unprocessable(string message) => new(422, "CF-UnprocessableEntity", 10008, message);
    public static CcError ResourceNotFound(string message) => new(404, "CF-ResourceNotFound", 10010, message);
    public static CcError RateLimitExceeded() => new(429, "CF-RateLimitExceeded", 10013, "Rate Limit Exceeded");
    public static CcError ServiceUnavailable(string message = "Service unavailable") => new(503, "CF-ServiceUnavailable", 10015, message);
    public static CcError ProcessNotFound(string guid) => new(404, "CF-ProcessNotFound", 350003, "The process could not be found: " + guid);

    /// <summary>The CC error a status-only fault answers with.</summary>
    public static CcError ForStatus(int status) => status switch
    {
        400 => MessageParseError(),
        401 => InvalidAuthToken(),
        403 => NotAuthorized(),
        404 => UnknownRoute(),
        422 => Unprocessable("Unprocessable entity"),
        429 => RateLimitExceeded(),
        503 => ServiceUnavailable(),
        _ => UnknownError(status),
    };

    public void WriteBody(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartArray("errors");
        w.WriteStartObject();
        w.WriteString("detail", Detail);
        w.WriteString("title", Title);
        w.WriteNumber("code", Code);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public Task WriteAsync(HttpContext context) => JsonBody.WriteAsync(context, Status, WriteBody);
}
