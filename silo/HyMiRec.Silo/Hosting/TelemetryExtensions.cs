using HyMiRec.Grains;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace HyMiRec.Silo.Hosting;

/// <summary>OpenTelemetry metrics: a Prometheus scrape endpoint on the API port and/or an OTLP push, per "Telemetry".</summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddHyMiRecTelemetry(this WebApplicationBuilder builder)
    {
        var options = Settings(builder.Configuration);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new InvalidOperationException("Invalid Telemetry settings: " + string.Join(" ", errors));
        }

        if (!options.PrometheusEnabled && options.OtlpEndpoint.Length == 0)
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("hymirec-silo", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServingMetrics.MeterName, HyMiRec.Kafka.Streaming.KafkaMetrics.MeterName, "Microsoft.Orleans").AddAspNetCoreInstrumentation();
                if (options.PrometheusEnabled)
                {
                    metrics.AddPrometheusExporter();
                }

                if (options.OtlpEndpoint.Length > 0)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(options.OtlpEndpoint));
                }
            });
        return builder;
    }

    public static WebApplication MapHyMiRecTelemetry(this WebApplication app)
    {
        var options = Settings(app.Configuration);
        if (options.PrometheusEnabled)
        {
            var scrape = app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
            // Read, not resolved: resolving IOptions<AuthOptions> here would validate the key before start.
            if (app.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>()?.RequireAuthForMetrics == true)
            {
                scrape.RequireAuthorization(AuthPolicies.Metrics);
            }
        }

        return app;
    }

    private static TelemetryOptions Settings(IConfiguration configuration) =>
        configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
}
