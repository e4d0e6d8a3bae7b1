namespace HyMiRec.Interfaces;

/// <summary>Stream provider and namespace names shared by the silo, the Kafka adapter and the grains.</summary>
public static class StreamNames
{
    /// <summary>The persistent stream provider backed by the Kafka click topic.</summary>
    public const string ClickProvider = "kafka-clicks";

    /// <summary>Stream namespace of per-user click streams; the stream key is the user id.</summary>
    public const string ClickNamespace = "clicks";
}
