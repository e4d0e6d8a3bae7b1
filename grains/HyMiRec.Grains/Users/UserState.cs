namespace HyMiRec.Grains.Users;

/// <summary>
/// A user's state as stored before the journal existed; <see cref="LegacyUserStates"/> reads it once per user and
/// moves it into the journal. Kept (with its alias and ids) so databases written by earlier versions stay readable.
/// Event i is (Items[i], ExternalIds[i], TimestampsMs[i], Codes[i*L..], MagnitudeBits[i*L..]); Items[i] = 0 marks an
/// item the catalog did not know when the event arrived: its L codes are zero and it is left out of model input
/// until a catalog knows it (re-encoding happens on activation). Oldest first, capped at UsersOptions.HistoryCap.
/// </summary>
[GenerateSerializer, Alias("hymirec.user-state.v1")]
public sealed class UserState
{
    [Id(0)]
    public List<int> Items { get; set; } = [];

    [Id(1)]
    public List<string> ExternalIds { get; set; } = [];

    [Id(2)]
    public List<long> TimestampsMs { get; set; } = [];

    /// <summary>Row-major [events, <see cref="Layers"/>] codebook codes.</summary>
    [Id(3)]
    public List<ushort> Codes { get; set; } = [];

    /// <summary>Row-major [events, <see cref="Layers"/>] projection magnitudes as IEEE float16 bits.</summary>
    [Id(4)]
    public List<ushort> MagnitudeBits { get; set; } = [];

    [Id(5)]
    public int Layers { get; set; }

    /// <summary>The codebook the stored codes come from; a different one makes the grain re-encode from item ids.</summary>
    [Id(6)]
    public string? CodebookVersion { get; set; }

    /// <summary>Kafka partition -> last applied offset; events at or below it are duplicates.</summary>
    [Id(7)]
    public Dictionary<int, long> LastOffsets { get; set; } = [];

    [Id(8)]
    public long TotalEvents { get; set; }

    [Id(9)]
    public string? ModelVersion { get; set; }

    [Id(10)]
    public int Dimension { get; set; }

    [Id(11)]
    public float[]? Coarse { get; set; }

    [Id(12)]
    public float[]? Refined { get; set; }

    [Id(13)]
    public DateTimeOffset? ComputedAt { get; set; }

    /// <summary><see cref="TotalEvents"/> when the interests were computed.</summary>
    [Id(14)]
    public long EventsAtCompute { get; set; }

    public int Count => Items.Count;

    public void RemoveOldest(int count)
    {
        Items.RemoveRange(0, count);
        ExternalIds.RemoveRange(0, count);
        TimestampsMs.RemoveRange(0, count);
        Codes.RemoveRange(0, count * Layers);
        MagnitudeBits.RemoveRange(0, count * Layers);
    }
}
