using HyMiRec.Events;
using HyMiRec.Interfaces;

namespace HyMiRec.Hosting.Api;

/// <summary>
/// The HTTP API. Bad ids or bodies get 400 with a ProblemDetails reason before any grain is called; callers without
/// the endpoint's scope get 401/403 before that (<see cref="AuthPolicies"/>). /healthz stays open for probes.
/// </summary>
public static class ApiExtensions
{
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
        app.MapPost("/v1/events", EventsEndpoint.PostAsync).RequireAuthorization(AuthPolicies.EventsWrite);
        return app;
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
