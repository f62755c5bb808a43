using Polly;
using Polly.Timeout;
using CfTasks.Client.Errors;

namespace CfTasks.Client.Http;

/// <summary>Runs each request through <see cref="CfResiliencePipeline"/> and turns transport failures into CfExceptions.</summary>
internal sealed class CfResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline, CfClientOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CfResiliencePipeline.RequestKey, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.handler.SendCoreAsync(state.request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception error)
                    {
                        return Outcome.FromException<HttpResponseMessage>(error);
                    }
                },
                context,
                (handler: this, request)).ConfigureAwait(false);

            if (outcome.Exception is null) return outcome.Result!;
            throw Translate(outcome.Exception, request, cancellationToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private Exception Translate(Exception error, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return new OperationCanceledException(cancellationToken);
        return error switch
        {
            CfException => error,
            TimeoutRejectedException => new CfException(CfFailure.RequestTimeout, CfErrorKind.Timeout,
                $"{request.Method} {SecretRedactor.RedactUrl(request.RequestUri)} did not answer in time (each attempt may take {options.RequestTimeout.TotalSeconds:0} s).",
                request.RequestUri, error),
            // .NET Framework's connect check (NetFrameworkTransport) gives up with a TimeoutException inside.
            HttpRequestException { InnerException: TimeoutException } => CfApiErrors.ConnectTimeout(error, request.RequestUri, options.ConnectTimeout),
            HttpRequestException or IOException => CfApiErrors.FromTransport(error, request.RequestUri),
            // The transport gives up on opening a connection with a TimeoutException inside a cancellation.
            OperationCanceledException { InnerException: TimeoutException } => CfApiErrors.ConnectTimeout(error, request.RequestUri, options.ConnectTimeout),
            OperationCanceledException => new CfException(CfFailure.RequestTimeout, CfErrorKind.Timeout,
                $"{request.Method} {SecretRedactor.RedactUrl(request.RequestUri)} was abandoned: {error.Message}", request.RequestUri, error),
            _ => error,
        };
    }
}
