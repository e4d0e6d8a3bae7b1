namespace HyMiRec.Silo.Hosting;

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

    /// <summary>Every problem with the options, one line each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PrometheusEnabled && (string.IsNullOrWhiteSpace(PrometheusPath) || !PrometheusPath.StartsWith('/')))
        {
            errors.Add($"Telemetry:PrometheusPath must start with '/' (is '{PrometheusPath}').");
        }

        if (OtlpEndpoint.Length > 0 && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            errors.Add($"Telemetry:OtlpEndpoint must be an absolute URI (is '{OtlpEndpoint}').");
        }

        return errors;
    }
}
