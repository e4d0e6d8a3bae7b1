namespace HyMiRec.Grains.Users;

public enum RecomputeMode
{
    /// <summary>Interests are recomputed inside every append call, before it returns.</summary>
    EveryEvent,

    /// <summary>At most once per <see cref="UsersOptions.RecomputeIntervalMs"/>, or at once after <see cref="UsersOptions.RecomputeEveryEvents"/> new events.</summary>
    Throttled,
}
