using System.Net;
using HyMiRec.Interfaces;
using HyMiRec.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Prometheus_endpoint_serves_serving_orleans_and_http_metrics()
    {
        await using var silo = await ServingSilo.StartAsync();
        using var http = silo.CreateClient();
        var user = silo.Client.GetGrain<IUserGrain>("metrics-user");
        await user.AppendAsync(Clicks.For("metrics-user", 3, partition: 0, firstOffset: 1));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/users/metrics-user/history?limit=5")).StatusCode);

        // Exporters collect on scrape, so the first scrape may miss what was recorded just before it.
        string text = "";
        await Eventually.TrueAsync(async () =>
        {
            text = await http.GetStringAsync("/metrics");
            return text.Contains("hymirec_user_events_applied", StringComparison.Ordinal)
                && text.Contains("http_server_request_duration", StringComparison.Ordinal);
        }, "serving and HTTP metrics in the scrape");
        Assert.Contains("hymirec_inference_batch_size", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_endpoint_can_be_turned_off()
    {
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Telemetry:PrometheusEnabled"] = "false" });
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Theory]
    [InlineData("metrics", "", "PrometheusPath")]
    [InlineData("/metrics", "not a uri", "OtlpEndpoint")]
    public void Invalid_settings_are_named(string path, string otlp, string field)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { PrometheusPath = path, OtlpEndpoint = otlp });
        Assert.Contains(result.Failures ?? [], e => e.Contains("Telemetry:" + field, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_otlp_exporter_takes_the_validated_endpoint()
    {
        var app = ServingApp.Build(["--Model:ArtifactDirectory=" + Path.GetTempPath(), "--Telemetry:OtlpEndpoint=http://collector.example:4317"]);
        await using (app)
        {
            var exporter = app.Services.GetRequiredService<IOptionsMonitor<OtlpExporterOptions>>().Get(Options.DefaultName);
            Assert.Equal(new Uri("http://collector.example:4317"), exporter.Endpoint);
        }
    }
}
