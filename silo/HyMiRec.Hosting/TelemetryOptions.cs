namespace HyMiRec.Hosting;

/// <summary>
/// Configuration section "Telemetry": where the silo's metrics go. The meters are HyMiRec's own
/// (<c>HyMiRec.Serving</c>), Orleans' (<c>Microsoft.Orleans</c>) and ASP.NET Core's HTTP server metrics.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Serve the metrics in the Prometheus text format at <see cref="PrometheusPath"/> on the API port.</summary>
    public bool PrometheusEnabled { get; set; } = true;

    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>An OTLP collector (e.g. http://otel-collector:4317); empty = no push. OTEL_EXPORTER_OTLP_* variables refine it.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>
    /// Which exporters exist, as configured. Read before the service container is built, because each exporter is a
    /// service of its own; the path and the endpoint reach them through <c>IOptions&lt;TelemetryOptions&gt;</c>, validated at start.
    /// </summary>
    public static (bool Prometheus, bool Otlp) ExportersOf(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return (section.GetValue(nameof(PrometheusEnabled), true), !string.IsNullOrWhiteSpace(section[nameof(OtlpEndpoint)]));
    }
}
