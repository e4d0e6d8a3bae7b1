using System.Globalization;
using HyMiRec.IntegrationTests.Serving;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>
/// The fault scenario's size, timeline and bounds. Defaults keep the test light on two cores; HYMIREC_SCALEOUT_*
/// environment variables (USERS, RATE, PARTITIONS, KILL_AFTER_S, JOIN_AFTER_S, TAIL_S, RECOVERY_BOUND_S) change them
/// for a run by hand. The timeline counts clicks sent (at <see cref="Rate"/> per second), not wall-clock time.
/// </summary>
internal sealed record ScaleOutSettings(int Users, int Rate, int Partitions, int KillAfterSeconds, int JoinAfterSeconds, int TailSeconds, TimeSpan RecoveryBound)
{
    public const string ClusterId = "scale-out";

    /// <summary>Clicks sent before the SIGKILL.</summary>
    public long KillAfterClicks => (long)Rate * KillAfterSeconds;

    /// <summary>Clicks sent before the fourth silo is started.</summary>
    public long JoinAfterClicks => (long)Rate * JoinAfterSeconds;

    /// <summary>Clicks still sent once the fourth silo is active (the queue balancer moves partitions to it meanwhile).</summary>
    public long TailClicks => (long)Rate * TailSeconds;

    public static ScaleOutSettings FromEnvironment()
    {
        var settings = new ScaleOutSettings(
            Read("USERS", 200),
            Read("RATE", 200),
            Read("PARTITIONS", 8),
            Read("KILL_AFTER_S", 12),
            Read("JOIN_AFTER_S", 20),
            Read("TAIL_S", 10),
            TimeSpan.FromSeconds(Read("RECOVERY_BOUND_S", 60)));
        if (settings.JoinAfterSeconds <= settings.KillAfterSeconds)
        {
            throw new InvalidOperationException("HYMIREC_SCALEOUT_JOIN_AFTER_S must be later than KILL_AFTER_S");
        }

        return settings;
    }

    /// <summary>Command-line settings every silo of the scenario shares (ports are added per silo); authentication on, as deployed.</summary>
    public static Dictionary<string, string> Silo(string connectionString, string bootstrapServers, string clickTopic, string deadLetterTopic, string consumerGroup) => new(TestTokens.Settings())
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
        ["Model:ArtifactDirectory"] = TestModel.Directory,
        ["Model:RegistryPollSeconds"] = "10",
        ["Users:RecomputeMode"] = "Throttled",
        // Interests at most every 5 s per user: this test is about the click path, and four silos share two cores.
        ["Users:RecomputeIntervalMs"] = "5000",
        ["Logging:LogLevel:Default"] = "Warning",
        // The receivers' "Reading Kafka topic[p]" lines tell which silo reads which partition.
        ["Logging:LogLevel:HyMiRec.Kafka.Streaming"] = "Information",
        ["Logging:Console:TimestampFormat"] = "HH:mm:ss.fff ",
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
