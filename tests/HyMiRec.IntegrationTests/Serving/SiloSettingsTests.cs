using HyMiRec.Hosting;
using Microsoft.Extensions.Options;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>A bad setting stops the silo at start with a message naming its key, before anything connects anywhere.</summary>
public sealed class SiloSettingsTests
{
    [Theory]
    [InlineData("Kafka:MaxBatchSize", "0")]
    [InlineData("Kafka:DeadLetterTopic", "clicks")]
    [InlineData("Kafka:Settings:group.id", "other")]
    public async Task A_bad_Kafka_setting_stops_the_silo_at_start(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ServingSilo.StartAsync(new Dictionary<string, string> { ["Kafka:Enabled"] = "true", [key] = value }));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_storage_connection_string_stops_the_silo_at_start()
    {
        // Once only Npgsql's own complaint at the first query, naming no key.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ServingSilo.StartAsync(new Dictionary<string, string> { ["Storage:ConnectionString"] = "Host=127.0.0.1;No Such Keyword=1" }));
        Assert.Contains("Storage:ConnectionString is not a valid PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clustering_takes_the_validated_advertised_address()
    {
        // Once parsed while the host was being built, failing with a FormatException that named no key.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ServingSilo.StartAsync(new Dictionary<string, string>
        {
            ["Cluster:Mode"] = "AdoNet",
            ["Cluster:AdvertisedAddress"] = "silo-1.internal",
            ["Storage:ConnectionString"] = "Host=127.0.0.1;Database=none",
        }));
        Assert.Contains("Cluster:AdvertisedAddress must be an IP address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_cluster_port_stops_the_silo_at_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ServingSilo.StartAsync(new Dictionary<string, string> { ["Cluster:GatewayPort"] = "70000" }));
        Assert.Contains("Cluster:GatewayPort", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_journal_setting_stops_the_silo_at_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ServingSilo.StartAsync(new Dictionary<string, string> { ["Journal:WriteConcurrency"] = "0" }));
        Assert.Contains("Journal:WriteConcurrency", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Telemetry:PrometheusPath", "metrics")]
    [InlineData("Dashboard:Path", "dashboard")]
    public void A_bad_path_stops_the_silo_while_its_endpoint_is_mapped(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ServingApp.Build(["--Model:ArtifactDirectory=" + Path.GetTempPath(), "--Dashboard:Enabled=true", $"--{key}={value}"]));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
