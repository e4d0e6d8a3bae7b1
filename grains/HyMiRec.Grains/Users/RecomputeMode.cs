namespace HyMiRec.Grains.Users;

public enum RecomputeMode
{
    /// <summary>Interests are recomputed inside every append call, before it returns.</summary>
    EveryEvent,

    /// <summary>At most once per <see cref="UsersOptions.RecomputeIntervalMs"/>, or at once after <see cref="UsersOptions.RecomputeEveryEvents"/> new events.</summary>
    Throttled,

    /// <summary>
    /// Never after an append: interests are computed when a caller reads them (interests, recommendations) and kept
    /// until new events arrive, so ingest costs no inference and a user nobody reads costs none at all.
    /// </summary>
    OnRead,
}
