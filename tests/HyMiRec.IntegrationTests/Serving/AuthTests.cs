using System.Net;
using System.Net.Http.Json;
using HyMiRec.Hosting;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>Each right of the HTTP API against callers without a token, with the wrong scope and with the right one.</summary>
public sealed class AuthTests(AuthSiloFixture fixture) : IClassFixture<AuthSiloFixture>
{
    public static TheoryData<string> Rights => [AuthPolicies.UsersRead, AuthPolicies.EventsWrite, AuthPolicies.Dashboard];

    [Theory]
    [MemberData(nameof(Rights))]
    public async Task NoTokenGets401WithABearerChallenge(string right)
    {
        using var http = fixture.Silo.CreateClient(scopes: null);
        using var response = await http.SendAsync(RequestNeeding(right));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [MemberData(nameof(Rights))]
    public async Task TokenWithEveryOtherScopeGets403(string right)
    {
        using var http = fixture.Silo.CreateClient(string.Join(' ', AuthPolicies.Scopes.Where(s => s != right)));
        using var response = await http.SendAsync(RequestNeeding(right));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Rights))]
    public async Task TokenWithTheScopeIsServed(string right)
    {
        using var http = fixture.Silo.CreateClient(right);
        using var response = await http.SendAsync(RequestNeeding(right));
        Assert.True(response.IsSuccessStatusCode, $"{right}: {(int)response.StatusCode} from {response.RequestMessage?.RequestUri} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task ScopesWrittenAsAJsonArrayAreRead()
    {
        using var http = fixture.Silo.CreateClient(scopes: null);
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Mint(AuthPolicies.Dashboard + " " + AuthPolicies.UsersRead, asArray: true));
        using var response = await http.SendAsync(RequestNeeding(AuthPolicies.UsersRead));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string> ForgedTokens => ["wrong key", "wrong issuer", "wrong audience", "expired"];

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task TokenThatDoesNotValidateGets401(string flaw)
    {
        var token = flaw switch
        {
            "wrong key" => TestTokens.Mint(TestTokens.AllScopes, key: Convert.ToBase64String(new byte[AuthOptions.MinimumKeyBytes])),
            "wrong issuer" => TestTokens.Mint(TestTokens.AllScopes, issuer: "someone-else"),
            "wrong audience" => TestTokens.Mint(TestTokens.AllScopes, audience: "another-api"),
            _ => TestTokens.Mint(TestTokens.AllScopes, lifetime: TimeSpan.FromMinutes(-5)),
        };
        using var http = fixture.Silo.CreateClient(scopes: null);
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(RequestNeeding(AuthPolicies.UsersRead));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData(HealthExtensions.LivePath)]
    [InlineData(HealthExtensions.ReadyPath)]
    [InlineData("/metrics")]
    public async Task ProbesAndMetricsNeedNoToken(string path)
    {
        using var http = fixture.Silo.CreateClient(scopes: null);
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage RequestNeeding(string right) => right switch
    {
        AuthPolicies.UsersRead => new(HttpMethod.Get, "/v1/users/auth-user/history"),
        AuthPolicies.EventsWrite => new(HttpMethod.Post, "/v1/events")
        {
            Content = JsonContent.Create(new[] { new { userId = "auth-user", itemId = TestModel.Dataset.ItemIds[1], timestamp = Clicks.Start } }),
        },
        // The page itself: /dashboard redirects there, and HttpClient drops the Authorization header on redirects.
        AuthPolicies.Dashboard => new(HttpMethod.Get, "/dashboard/"),
        _ => throw new ArgumentOutOfRangeException(nameof(right), right, null),
    };
}
