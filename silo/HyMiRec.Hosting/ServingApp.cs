using HyMiRec.Hosting.Api;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace HyMiRec.Hosting;

/// <summary>
/// Builds the one host: Orleans silo + HTTP API. Tests call it with their own arguments and silo extras. Every
/// endpoint but /healthz* (and /metrics unless Auth:RequireAuthForMetrics) needs a bearer token outside Development.
/// </summary>
public static class ServingApp
{
    public static WebApplication Build(string[] args, Action<ISiloBuilder>? configureSilo = null)
    {
        // appsettings.json ships beside the assembly; the silo is usually started from the repository root.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddHyMiRecSilo(configureSilo);
        builder.AddHyMiRecHealth();
        builder.AddHyMiRecTelemetry();
        builder.AddHyMiRecAuth();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ClusterUnavailableHandler>();
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseHyMiRecAuth();
        app.MapHyMiRecApi();
        app.MapHyMiRecHealth();
        app.MapHyMiRecTelemetry();
        if (HyMiRecDashboardOptions.IsEnabled(app.Configuration))
        {
            app.MapOrleansDashboard(app.Services.GetRequiredService<IOptions<HyMiRecDashboardOptions>>().Value.Path).RequireAuthorization(AuthPolicies.Dashboard);
        }

        return app;
    }
}
