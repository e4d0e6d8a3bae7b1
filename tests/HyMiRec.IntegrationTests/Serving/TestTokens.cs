using System.Net.Http.Headers;
using System.Security.Cryptography;
using HyMiRec.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>
/// The Auth settings test silos run with (a key made for this test run) and tokens signed with them, as an
/// operator's token issuer would sign them.
/// </summary>
internal static class TestTokens
{
    public const string Issuer = "hymirec-tests";
    public const string Audience = "hymirec-tests-api";
    public const string AllScopes = AuthPolicies.EventsWrite + " " + AuthPolicies.UsersRead + " " + AuthPolicies.Dashboard;

    public static string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(AuthOptions.MinimumKeyBytes));

    /// <summary>Production (authentication on) with the test key; explicit so a developer's DOTNET_ENVIRONMENT does not change the tests.</summary>
    public static Dictionary<string, string> Settings() => new()
    {
        ["environment"] = "Production",
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:SigningKey"] = SigningKey,
    };

    /// <param name="asArray">Write the scopes as a JSON array, as some issuers do, instead of one space-separated string.</param>
    public static string Mint(string scopes, string? key = null, string issuer = Issuer, string audience = Audience, TimeSpan? lifetime = null, bool asArray = false)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "test-client",
                [AuthPolicies.ScopeClaim] = asArray ? scopes.Split(' ') : scopes,
            },
            // An already expired token needs its start moved back too, or creating it fails.
            NotBefore = expires < now ? expires - TimeSpan.FromMinutes(10) : now,
            IssuedAt = expires < now ? expires - TimeSpan.FromMinutes(10) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public static AuthenticationHeaderValue Bearer(string scopes) => new("Bearer", Mint(scopes));
}
