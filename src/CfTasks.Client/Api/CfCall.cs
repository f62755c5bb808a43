using System.Runtime.ExceptionServices;
using System.Text.Json;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using Refit;

namespace CfTasks.Client.Api;

/// <summary>
/// Runs one Refit call and unwraps what Refit wraps: a CfException (or a cancellation) raised by our handlers comes
/// out as itself, not inside Refit's ApiRequestException; an ApiException left over means the body could not be read
/// as the expected JSON, which becomes a clear "not what Cloud Foundry sends" error. Every Refit call goes through here.
/// </summary>
internal static class CfCall
{
    /// <summary>Runs <paramref name="call"/>.</summary>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (Unwrap(error) is { } inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw; // unreachable
        }
        catch (ApiException error)
        {
            throw CfApiErrors.NotCloudFoundry(error.Uri, $"its body could not be read as the expected JSON ({error.InnerException?.Message ?? error.Message})", error);
        }
        catch (JsonException error)
        {
            throw CfApiErrors.NotCloudFoundry(null, $"its body could not be read as the expected JSON ({error.Message})", error);
        }
    }

    /// <summary>The CfException or cancellation inside a Refit wrapper, or null.</summary>
    internal static Exception? Unwrap(Exception error)
    {
        if (error is CfException || error is OperationCanceledException) return null; // already itself
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is CfException or OperationCanceledException) return inner;
        return null;
    }
}
