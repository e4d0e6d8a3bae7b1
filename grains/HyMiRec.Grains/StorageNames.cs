namespace HyMiRec.Grains;

/// <summary>Named grain storages the silo must register.</summary>
public static class StorageNames
{
    public const string Users = "users";

    public const string Models = "models";

    /// <summary>The HTTP intake's per-user duplicate windows.</summary>
    public const string Intake = "intake";

    /// <summary>Orleans' own name for the stream pub-sub store (needed by explicit subscriptions and memory streams).</summary>
    public const string PubSub = "PubSubStore";

    public static readonly IReadOnlyList<string> All = [Users, Models, Intake, PubSub];
}
