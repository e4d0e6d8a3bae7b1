using System.Text.Json;
using HyMiRec.Interfaces;
using HyMiRec.Silo.Hosting;

namespace HyMiRec.Silo.Api;

/// <summary>
/// The HTTP API. Bad ids or bodies get 400 with a ProblemDetails reason before any grain is called; callers without
/// the endpoint's scope get 401/403 before that (<see cref="AuthPolicies"/>). /healthz stays open for probes.
/// </summary>
public static class ApiExtensions
{
    public const int MaxEventsPerRequest = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication MapHyMiRecApi(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        var users = app.MapGroup("/v1/users/{id}").RequireAuthorization(AuthPolicies.UsersRead);
        users.MapGet("/interests", async (string id, IGrainFactory grains) =>
        {
            if (UserIds.Problem(id) is { } problem)
            {
                return BadRequest(problem);
            }

            var interests = await grains.GetGrain<IUserGrain>(id).GetInterestsAsync();
            return interests is null ? Results.Problem(statusCode: 404, title: "No interests", detail: $"user '{id}' has no history yet") : Results.Ok(interests);
        });
        users.MapGet("/history", async (string id, string? limit, IGrainFactory grains) =>
        {
            if (UserIds.Problem(id) is { } problem)
            {
                return BadRequest(problem);
            }

            if (!TryParseCount(limit, 100, "limit", out var count, out var countProblem))
            {
                return BadRequest(countProblem!);
            }

            return await Guard(() => grains.GetGrain<IUserGrain>(id).GetHistoryAsync(count));
        });
        users.MapGet("/recommendations", async (string id, string? k, IGrainFactory grains) =>
        {
            if (UserIds.Problem(id) is { } problem)
            {
                return BadRequest(problem);
            }

            if (!TryParseCount(k, 10, "k", out var count, out var countProblem))
            {
                return BadRequest(countProblem!);
            }

            return await Guard(() => grains.GetGrain<IUserGrain>(id).GetRecommendationsAsync(count));
        });
        // Erasing a user is a write: the same right as posting their clicks.
        app.MapDelete("/v1/users/{id}", async (string id, IGrainFactory grains) =>
        {
            if (UserIds.Problem(id) is { } problem)
            {
                return BadRequest(problem);
            }

            await grains.GetGrain<IUserGrain>(id).DeleteAsync();
            return Results.NoContent();
        }).RequireAuthorization(AuthPolicies.EventsWrite);
        app.MapPost("/v1/events", PostEventsAsync).RequireAuthorization(AuthPolicies.EventsWrite);
        return app;
    }

    private static async Task<IResult> PostEventsAsync(HttpRequest request, IGrainFactory grains, IServiceProvider services, TimeProvider clock)
    {
        // The Kafka path's rule, so a click is judged the same whichever way it comes in.
        var maxFutureSkew = services.GetService<Microsoft.Extensions.Options.IOptions<HyMiRec.Kafka.Hosting.KafkaOptions>>()?.Value.MaxFutureSkew ?? Timestamps.DefaultMaxFutureSkew;
        var now = clock.GetUtcNow();
        List<EventRequest?>? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<List<EventRequest?>>(request.Body, Json, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            return BadRequest($"body must be a JSON array of {{userId, itemId, timestamp, eventType?}}: {e.Message}");
        }

        if (body is null || body.Count == 0)
        {
            return BadRequest("body must be a non-empty JSON array of events");
        }

        if (body.Count > MaxEventsPerRequest)
        {
            return BadRequest($"at most {MaxEventsPerRequest} events per request; got {body.Count}");
        }

        var events = new List<ClickEvent>(body.Count);
        for (var i = 0; i < body.Count; i++)
        {
            var e = body[i];
            var problem = e is null ? "is null"
                : UserIds.Problem(e.UserId) ?? ItemIds.Problem(e.ItemId)
                  ?? (e.Timestamp is null ? "timestamp is required (ISO 8601)" : Timestamps.Problem(e.Timestamp.Value, now, maxFutureSkew));
            if (problem is not null)
            {
                return BadRequest($"event {i}: {problem}");
            }

            events.Add(new ClickEvent(e!.UserId!, e.ItemId!, e.Timestamp!.Value, string.IsNullOrWhiteSpace(e.EventType) ? "click" : e.EventType, null));
        }

        var results = await Task.WhenAll(events.GroupBy(e => e.UserId, StringComparer.Ordinal)
            .Select(g => grains.GetGrain<IUserGrain>(g.Key).AppendAsync(g.ToArray())));
        return Results.Ok(new
        {
            accepted = results.Sum(r => r.Applied),
            duplicates = results.Sum(r => r.Duplicates),
            unknownItems = results.Sum(r => r.UnknownItems),
            users = results.Length,
        });
    }

    private static bool TryParseCount(string? text, int fallback, string name, out int value, out string? problem)
    {
        problem = null;
        if (text is null)
        {
            value = fallback;
            return true;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value > 0)
        {
            return true;
        }

        problem = $"{name} must be a positive integer; got '{text}'";
        return false;
    }

    /// <summary>Range checks live in the grain (they come from options); its ArgumentException becomes a 400.</summary>
    private static async Task<IResult> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return Results.Ok(await call());
        }
        catch (ArgumentException e)
        {
            return BadRequest(e.Message);
        }
    }

    private static IResult BadRequest(string detail) => Results.Problem(statusCode: 400, title: "Bad request", detail: detail);
}
