using HyMiRec.Hosting.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyMiRec.UnitTests.Serving;

public sealed class ClusterUnavailableHandlerTests
{
    [Fact]
    public async Task A_grain_on_a_dead_silo_is_a_503_with_retry_after()
    {
        var (handler, context) = Create();
        Assert.True(await handler.TryHandleAsync(context, new SiloUnavailableException("silo S1 is dead"), CancellationToken.None));
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task An_overloaded_inference_queue_is_a_503_with_retry_after()
    {
        var (handler, context) = Create();
        Assert.True(await handler.TryHandleAsync(context, new HyMiRec.Interfaces.InferenceOverloadedException(), CancellationToken.None));
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        context.Response.Body.Position = 0;
        Assert.Contains("inference queue is full", await new StreamReader(context.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_failures_stay_500()
    {
        var (handler, context) = Create();
        Assert.False(await handler.TryHandleAsync(context, new InvalidOperationException("bug"), CancellationToken.None));
        Assert.True(ClusterUnavailableHandler.IsTransient(new AggregateException(new TimeoutException())));
        Assert.False(ClusterUnavailableHandler.IsTransient(new AggregateException(new TimeoutException(), new InvalidOperationException())));
    }

    private static (ClusterUnavailableHandler, DefaultHttpContext) Create()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        return (new ClusterUnavailableHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(), NullLogger<ClusterUnavailableHandler>.Instance), context);
    }
}
