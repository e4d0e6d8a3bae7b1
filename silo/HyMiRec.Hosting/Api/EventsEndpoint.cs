using System.Globalization;
using System.Text.Json;
using HyMiRec.Events;
using HyMiRec.Grains.Intake;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Options;

namespace HyMiRec.Hosting.Api;

/// <summary>
/// POST /v1/events. With Kafka the clicks go HTTP -> the user's <see cref="IClickIntakeGrain"/> -> click topic ->
/// the silos' consumer -> user grain, like every other click: deduplicated by offset, replayed after a loss of state
/// and seen by retraining. The answer is 202 (in the log, not yet in the history). Without Kafka they go straight to
/// the user grains and the answer is 200. See docs/events.md, "HTTP intake".
/// </summary>
internal static class EventsEndpoint
{
    public const int MaxEventsPerRequest = 10_000;
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> PostAsync(HttpRequest request, IGrainFactory grains, IServiceProvider services, TimeProvider clock)
    {
        var (events, problem) = await ReadAsync(request, services, clock);
        if (problem is not null)
        {
            return BadRequest(problem);
        }

        return services.GetService<IClickLog>() is null
            ? await AppendDirectlyAsync(events!, grains)
            : await SubmitToLogAsync(events!, grains, request.HttpContext.Response, services.GetRequiredService<IOptions<IntakeOptions>>().Value);
    }

    /// <summary>The body as clicks, each with its event id (its own, derived from the Idempotency-Key, or none); or why not.</summary>
    private static async Task<(List<ClickEvent>? Events, string? Problem)> ReadAsync(HttpRequest request, IServiceProvider services, TimeProvider clock)
    {
        string? key = null;
        if (request.Headers.TryGetValue(IdempotencyKeyHeader, out var keys))
        {
            key = keys.Count == 1 ? keys[0] : null;
            if (EventIds.KeyProblem(key) is { } keyProblem)
            {
                return (null, keys.Count == 1 ? keyProblem : $"send one {IdempotencyKeyHeader} header, not {keys.Count}");
            }
        }

        // The Kafka path's rule, so a click is judged the same whichever way it comes in.
        var maxFutureSkew = services.GetService<IOptions<KafkaOptions>>()?.Value.MaxFutureSkew ?? Timestamps.DefaultMaxFutureSkew;
        var now = clock.GetUtcNow();
        List<EventRequest?>? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<List<EventRequest?>>(request.Body, Json, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            return (null, $"body must be a JSON array of {{userId, itemId, timestamp, eventType?, eventId?}}: {e.Message}");
        }

        if (body is null || body.Count == 0)
        {
            return (null, "body must be a non-empty JSON array of events");
        }

        if (body.Count > MaxEventsPerRequest)
        {
            return (null, $"at most {MaxEventsPerRequest} events per request; got {body.Count}");
        }

        var events = new List<ClickEvent>(body.Count);
        for (var i = 0; i < body.Count; i++)
        {
            var e = body[i];
            var problem = e is null ? "is null"
                : UserIds.Problem(e.UserId) ?? ItemIds.Problem(e.ItemId)
                  ?? (e.EventId is null ? null : EventIds.Problem(e.EventId))
                  ?? (e.Timestamp is null ? "timestamp is required (ISO 8601)" : Timestamps.Problem(e.Timestamp.Value, now, maxFutureSkew));
            if (problem is not null)
            {
                return (null, $"event {i}: {problem}");
            }

            // An event's own id wins over the request's key: the client named it.
            var eventId = e!.EventId ?? (key is null ? null : EventIds.Derive(key, i));
            events.Add(new ClickEvent(e.UserId!, e.ItemId!, e.Timestamp!.Value, string.IsNullOrWhiteSpace(e.EventType) ? "click" : e.EventType, null, EventId: eventId));
        }

        return (events, null);
    }

    /// <summary>A silo without Kafka: the user grains apply the clicks now (event ids are checked but not remembered).</summary>
    private static async Task<IResult> AppendDirectlyAsync(List<ClickEvent> events, IGrainFactory grains)
    {
        var results = await grains.AppendByUserAsync(events);
        return Results.Ok(new
        {
            accepted = results.Sum(r => r.Applied),
            duplicates = results.Sum(r => r.Duplicates),
            unknownItems = results.Sum(r => r.UnknownItems),
            users = results.Length,
        });
    }

    private static async Task<IResult> SubmitToLogAsync(List<ClickEvent> events, IGrainFactory grains, HttpResponse response, IntakeOptions options)
    {
        var byUser = ClicksByUser.Split(events);
        var results = await Task.WhenAll(byUser.Select(u => grains.GetGrain<IClickIntakeGrain>(u.UserId).SubmitAsync(u.Clicks)));
        if (results.FirstOrDefault(r => r.Failure is not null) is { } failed)
        {
            // Nothing is reported accepted. Clicks Kafka did take are remembered by id, so a retry with the same ids
            // (eventId or Idempotency-Key) adds only the rest; a retry without ids may repeat them.
            response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Click log unavailable",
                detail: $"Kafka did not acknowledge the events ({failed.Failure}); retry after {options.RetryAfterSeconds} s with the same eventIds or {IdempotencyKeyHeader}");
        }

        var outcomes = new EventOutcome[events.Count];
        for (var u = 0; u < byUser.Count; u++)
        {
            var indices = byUser[u].Positions;
            for (var j = 0; j < indices.Length; j++)
            {
                outcomes[indices[j]] = new EventOutcome(results[u].EventIds[j], results[u].Statuses[j] == IntakeStatus.Duplicate ? "duplicate" : "accepted");
            }
        }

        return Results.Accepted(value: new
        {
            accepted = results.Sum(r => r.Accepted),
            duplicates = results.Sum(r => r.Duplicates),
            users = results.Length,
            events = outcomes,
        });
    }

    private static IResult BadRequest(string detail) => Results.Problem(statusCode: 400, title: "Bad request", detail: detail);

    /// <summary>One event of the 202 body, in request order.</summary>
    private sealed record EventOutcome(string EventId, string Status);
}
