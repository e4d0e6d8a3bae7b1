using HyMiRec.Interfaces;
using Microsoft.AspNetCore.Diagnostics;

namespace HyMiRec.Hosting.Api;

/// <summary>
/// Answers 503 with Retry-After (not 500) while the cluster cannot reach a grain for a moment: a silo that just died
/// and is not yet declared dead, a rejected or timed-out message, or an inference queue past its bound (overload is
/// refused at once, not queued without limit). Clients and load balancers retry those; a 500 stays for real faults.
/// </summary>
public sealed partial class ClusterUnavailableHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransient(exception))
        {
            return false;
        }

        LogUnavailable(logger, exception.GetType().Name, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable",
                Detail = Overloaded(exception)
                    ? "the silo's inference queue is full; retry shortly"
                    : "the cluster is moving this user's grain (a silo joined or left); retry shortly",
            },
        }).ConfigureAwait(false);
    }

    public static bool IsTransient(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or InferenceOverloadedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    private static bool Overloaded(Exception exception) =>
        exception is InferenceOverloadedException || (exception.InnerException is { } inner && Overloaded(inner));

    [LoggerMessage(1, LogLevel.Warning, "{Exception} while serving {Path}: answered 503")]
    private static partial void LogUnavailable(ILogger logger, string exception, string path);
}
