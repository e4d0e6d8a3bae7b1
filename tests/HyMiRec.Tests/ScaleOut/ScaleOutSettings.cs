using System.Globalization;
using HyMiRec.Tests.Serving;

namespace HyMiRec.Tests.ScaleOut;

/// <summary>
/// The fault scenario's size and bounds. Defaults keep the test light on two cores; HYMIREC_SCALEOUT_* environment
/// variables (USERS, CLICKS, RATE, PARTITIONS, RECOVERY_BOUND_S) change them for a heavier run by hand.
/// </summary>
internal sealed record ScaleOutSettings(int Users, int Clicks, double Rate, int Partitions, TimeSpan RecoveryBound)
{
    public const string ClusterId = "scale-out";

    /// <summary>Share of the clicks sent before the SIGKILL, and before the fourth silo is started.</summary>
    public const double KillAt = 0.25;

    public const double JoinAt = 0.5;

    public static ScaleOutSettings FromEnvironment()
    {
        var settings = new ScaleOutSettings(
            Read("USERS", 200),
            Read("CLICKS", 10_000),
            Read("RATE", 200),
            Read("PARTITIONS", 8),
            TimeSpan.FromSeconds(Read("RECOVERY_BOUND_S", 60)));
        if (settings.Clicks / settings.Users >= 900)
        {
            throw new InvalidOperationException("HYMIREC_SCALEOUT_CLICKS / USERS must stay well below the history API's limit of 1000 per read");
        }

        return settings;
    }

    /// <summary>Command-line settings every silo of the scenario shares (ports are added per silo).</summary>
    public static Dictionary<string, string> Silo(string connectionString, string bootstrapServers, string clickTopic, string deadLetterTopic, string consumerGroup) => new()
    {
        ["Cluster:Mode"] = "AdoNet",
        ["Cluster:ClusterId"] = ClusterId,
        // A SIGKILLed silo is declared dead after about NumMissedProbesLimit probe timeouts (Orleans' defaults: 3 x 5 s).
        ["Cluster:Membership:ProbeTimeout"] = "00:00:02",
        ["Cluster:Membership:NumMissedProbesLimit"] = "3",
        ["Storage:ConnectionString"] = connectionString,
        ["Kafka:Enabled"] = "true",
        ["Kafka:BootstrapServers"] = bootstrapServers,
        ["Kafka:ClickTopic"] = clickTopic,
        ["Kafka:DeadLetterTopic"] = deadLetterTopic,
        ["Kafka:ConsumerGroup"] = consumerGroup,
        ["Kafka:CommitIntervalMs"] = "500",
        ["Model:ArtifactDirectory"] = TestModel.Directory,
        ["Model:RegistryPollSeconds"] = "10",
        ["Users:RecomputeMode"] = "Throttled",
        ["Users:RecomputeIntervalMs"] = "2000",
        ["Logging:LogLevel:Default"] = "Warning",
        // The receivers' "Reading Kafka topic[p]" lines tell which silo reads which partition.
        ["Logging:LogLevel:HyMiRec.Kafka.Streaming"] = "Information",
    };

    private static int Read(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable("HYMIREC_SCALEOUT_" + name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"HYMIREC_SCALEOUT_{name} must be a positive integer; got '{text}'");
    }
}
