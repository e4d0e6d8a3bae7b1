using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace HyMiRec.Hosting;

/// <summary>
/// JWT bearer authentication and the scope policies (<see cref="AuthPolicies"/>), on unless the host environment
/// is Development. Endpoints always carry their policy; in Development every policy admits anonymous callers, so
/// the endpoint table is the same in both and the switch lives here only.
/// </summary>
public static partial class AuthExtensions
{
    public static WebApplicationBuilder AddHyMiRecAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        var open = builder.Environment.IsDevelopment();
        if (open)
        {
            services.AddAuthentication();
        }
        else
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, auth) => Configure(jwt, auth.Value));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.EventsWrite, p => Scope(p, AuthPolicies.EventsWrite, open))
            .AddPolicy(AuthPolicies.UsersRead, p => Scope(p, AuthPolicies.UsersRead, open))
            .AddPolicy(AuthPolicies.Dashboard, p => Scope(p, AuthPolicies.Dashboard, open));
        // Built when the first request is authorized, after the start-up check, so the setting is read validated.
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthOptions>>((authorization, auth) =>
            authorization.AddPolicy(AuthPolicies.Metrics, p => Scope(p, scope: null, open || !auth.Value.RequireAuthForMetrics)));
        return builder;
    }

    public static WebApplication UseHyMiRecAuth(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            LogOpenApi(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthExtensions).FullName!), app.Environment.EnvironmentName);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        // Keep "scope" as the token names it (the default maps it to a long Microsoft claim type).
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            IssuerSigningKeys = auth.ValidationKeys().Select(k => new SymmetricSecurityKey(k)),
            // A shared secret: refuse tokens that claim an asymmetric or "none" algorithm.
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>No token answers 401 (challenge); a valid token without the scope answers 403 (forbid).</summary>
    private static void Scope(AuthorizationPolicyBuilder policy, string? scope, bool open)
    {
        if (open)
        {
            policy.RequireAssertion(_ => true);
            return;
        }

        policy.RequireAuthenticatedUser();
        if (scope is not null)
        {
            policy.RequireAssertion(context => AuthPolicies.HasScope(context.User, scope));
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Auth: environment {Environment}: the HTTP API, /v1/events and the dashboard are OPEN to anyone who can reach the port; any other environment requires JWT bearer tokens (Auth:SigningKey)")]
    private static partial void LogOpenApi(ILogger logger, string environment);
}
