using System.Text.Json;
using CfTasks.Client.Errors;
using Refit;

namespace CfTasks.Client.Services;

/// <summary>
/// Runs one API call and turns "the answer was not Cloud Foundry JSON" into a clear CfException. (HTTP errors arrive
/// as CfExceptions already, from the Refit exception factory; an ApiException here means the body could not be read.)
/// </summary>
internal static class CfCall
{
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not (CfException or OperationCanceledException) && error.InnerException is CfException or OperationCanceledException)
        {
            // Refit wraps what the handlers threw while sending (transport failures, timeouts, cancellation) in
            // ApiRequestException; callers decide on the CfException (e.g. whether a POST may have been acted on).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerException).Throw();
            throw;
        }
        catch (ApiException error)
        {
            throw CfApiErrors.NotCloudFoundry(error.Uri, $"its body could not be read as the expected JSON ({error.InnerException?.Message})", error);
        }
        catch (JsonException error)
        {
            throw CfApiErrors.NotCloudFoundry(null, $"its body could not be read as the expected JSON ({error.Message})", error);
        }
    }
}
