using HyMiRec.Grains;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace HyMiRec.Hosting;

/// <summary>OpenTelemetry metrics: a Prometheus scrape endpoint on the API port and/or an OTLP push, per "Telemetry".</summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddHyMiRecTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        var (prometheus, otlp) = TelemetryOptions.ExportersOf(builder.Configuration);
        if (!prometheus && !otlp)
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("hymirec-silo", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServingMetrics.MeterName, HyMiRec.Kafka.Streaming.KafkaMetrics.MeterName, "Microsoft.Orleans").AddAspNetCoreInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            builder.Services.AddOptions<OtlpExporterOptions>()
                .Configure<IOptions<TelemetryOptions>>((exporter, telemetry) => exporter.Endpoint = new Uri(telemetry.Value.OtlpEndpoint));
        }

        return builder;
    }

    public static WebApplication MapHyMiRecTelemetry(this WebApplication app)
    {
        if (TelemetryOptions.ExportersOf(app.Configuration).Prometheus)
        {
            // The policy itself admits anonymous scrapes unless Auth:RequireAuthForMetrics (AuthExtensions).
            app.MapPrometheusScrapingEndpoint(app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.PrometheusPath)
                .RequireAuthorization(AuthPolicies.Metrics);
        }

        return app;
    }
}
