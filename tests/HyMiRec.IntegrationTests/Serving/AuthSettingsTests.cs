using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using HyMiRec.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>What the Auth settings and the host environment switch: closed metrics, the open Development API, start-up checks.</summary>
public sealed class AuthSettingsTests
{
    [Fact]
    public async Task MetricsNeedATokenWhenConfiguredClosed()
    {
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Auth:RequireAuthForMetrics"] = "true" });
        using var anonymous = silo.CreateClient(scopes: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        // Any valid token will do: a scraper needs no right to the API.
        using var scraper = silo.CreateClient(AuthPolicies.UsersRead);
        Assert.Equal(HttpStatusCode.OK, (await scraper.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task DevelopmentServesWithoutTokensOrKeyAndSaysSoLoudly()
    {
        var log = new CapturingLoggerProvider();
        await using var silo = await ServingSilo.StartAsync(
            new Dictionary<string, string> { ["environment"] = "Development", ["Auth:SigningKey"] = "" },
            configureSilo: s => s.Services.AddSingleton<ILoggerProvider>(log));
        using var http = silo.CreateClient(scopes: null);
        var events = new[] { new { userId = "dev-user", itemId = TestModel.Dataset.ItemIds[2], timestamp = Clicks.Start } };
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/v1/events", events)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/users/dev-user/history")).StatusCode);
        Assert.Contains(log.Warnings, m => m.Contains("OPEN", StringComparison.Ordinal) && m.Contains("Development", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "Auth:SigningKey is missing")]
    [InlineData("c2hvcnQta2V5", "Auth:SigningKey is too short: 72 bits")]
    [InlineData("not base64!", "Auth:SigningKey is not valid base64")]
    public async Task StartFailsNamingABadSigningKeyOutsideDevelopment(string key, string expected)
    {
        var ports = FreePorts.Take(3);
        var app = ServingApp.Build(
        [
            "--environment=Production", $"--urls=http://127.0.0.1:{ports[0]}", $"--Cluster:SiloPort={ports[1]}", $"--Cluster:GatewayPort={ports[2]}",
            $"--Cluster:PrimarySiloPort={ports[1]}", "--Model:ArtifactDirectory=" + TestModel.Directory, "--Auth:SigningKey=" + key,
        ]);
        await using (app)
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ThePreviousKeyIsCheckedAndAcceptedDuringRotation()
    {
        var options = new AuthOptions { SigningKey = TestTokens.SigningKey, PreviousSigningKey = "c2hvcnQta2V5" };
        Assert.Contains(AuthOptionsValidator.Problems(options), e => e.StartsWith("Auth:PreviousSigningKey is too short", StringComparison.Ordinal));
        options.PreviousSigningKey = Convert.ToBase64String(new byte[AuthOptions.MinimumKeyBytes]);
        Assert.Empty(AuthOptionsValidator.Problems(options));
        Assert.Equal(2, options.ValidationKeys().Count);
    }

    [Fact]
    public void ScopesAreReadFromSpaceSeparatedAndRepeatedClaims()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(AuthPolicies.ScopeClaim, "openid users:read"), new Claim(AuthPolicies.ScopeClaim, AuthPolicies.Dashboard)], "test"));
        Assert.True(AuthPolicies.HasScope(user, AuthPolicies.UsersRead));
        Assert.True(AuthPolicies.HasScope(user, AuthPolicies.Dashboard));
        Assert.False(AuthPolicies.HasScope(user, AuthPolicies.EventsWrite));
        Assert.False(AuthPolicies.HasScope(user, "users"));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public IReadOnlyCollection<string> Warnings => _warnings;

        public ILogger CreateLogger(string categoryName) => new Logger(_warnings);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> warnings) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    warnings.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
