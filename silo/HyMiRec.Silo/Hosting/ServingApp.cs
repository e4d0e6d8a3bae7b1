using HyMiRec.Silo.Api;
using Orleans.Dashboard;

namespace HyMiRec.Silo.Hosting;

/// <summary>Builds the one host: Orleans silo + HTTP API. Tests call it with their own arguments and silo extras.</summary>
public static class ServingApp
{
    public static WebApplication Build(string[] args, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddHyMiRecSilo(configureSilo);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.MapHyMiRecApi();
        var dashboard = SiloExtensions.DashboardSettings(app.Configuration);
        if (dashboard.Enabled)
        {
            app.MapOrleansDashboard(dashboard.Path);
        }

        return app;
    }
}
