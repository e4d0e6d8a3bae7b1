using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Grains.Intake;

/// <summary>Configuration section "Intake": the HTTP intake's duplicate window (docs/events.md, "HTTP intake").</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>
    /// How long an event id is remembered. 24 h covers a client's retries across an outage of a working day and a
    /// replay of yesterday's failed batch; longer only grows the stored window.
    /// </summary>
    [Range(1, 7 * 24 * 60)]
    [Display(Name = Section + ":" + nameof(WindowMinutes))]
    public int WindowMinutes { get; set; } = 24 * 60;

    /// <summary>
    /// Most event ids remembered per user (the oldest go first). 4,096 ids of at most 128 characters keep a user's
    /// stored window under about 600 KB even for a bot; a person clicks far fewer times a day.
    /// </summary>
    [Range(1, 100_000)]
    [Display(Name = Section + ":" + nameof(MaxIdsPerUser))]
    public int MaxIdsPerUser { get; set; } = 4096;

    /// <summary>The Retry-After of a 503 when Kafka did not acknowledge the events in time.</summary>
    [Range(1, 3600)]
    [Display(Name = Section + ":" + nameof(RetryAfterSeconds))]
    public int RetryAfterSeconds { get; set; } = 5;

    public TimeSpan Window => TimeSpan.FromMinutes(WindowMinutes);
}
