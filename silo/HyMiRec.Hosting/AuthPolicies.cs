using System.Security.Claims;

namespace HyMiRec.Hosting;

/// <summary>The authorization policies of the HTTP API, each named after the <c>scope</c> value it requires.</summary>
public static class AuthPolicies
{
    /// <summary>OAuth style (RFC 8693 section 4.2): one claim, values separated by spaces.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>POST /v1/events, and deleting a user's data when that endpoint exists.</summary>
    public const string EventsWrite = "events:write";

    /// <summary>GET /v1/users/{id}/...</summary>
    public const string UsersRead = "users:read";

    /// <summary>The Orleans Dashboard: it shows grain names (user ids) and cluster internals.</summary>
    public const string Dashboard = "dashboard";

    /// <summary>/metrics: any valid token, whatever its scopes, when Auth:RequireAuthForMetrics is set; else anyone.</summary>
    public const string Metrics = "metrics";

    public static IReadOnlyList<string> Scopes { get; } = [EventsWrite, UsersRead, Dashboard];

    /// <summary>
    /// Whether <paramref name="user"/> holds <paramref name="scope"/>. Several scope claims are read too: some
    /// issuers write the scopes as a JSON array, which becomes one claim per element.
    /// </summary>
    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.FindAll(ScopeClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope, StringComparer.Ordinal);
}
