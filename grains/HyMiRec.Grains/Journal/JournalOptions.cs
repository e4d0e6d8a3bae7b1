using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Grains.Journal;

/// <summary>Configuration section "Journal": how the PostgreSQL journal groups the writes and reads of many grains.</summary>
public sealed class JournalOptions
{
    public const string Section = "Journal";

    /// <summary>Most grain appends committed in one PostgreSQL transaction.</summary>
    [Range(1, 65_536)]
    [Display(Name = Section + ":" + nameof(MaxWriteBatch))]
    public int MaxWriteBatch { get; set; } = 4096;

    /// <summary>Flushes in flight at once; each takes whatever queued while the others ran (group commit).</summary>
    [Range(1, 16)]
    [Display(Name = Section + ":" + nameof(WriteConcurrency))]
    public int WriteConcurrency { get; set; } = 2;

    /// <summary>Most user histories read in one query (activations arriving together are read together).</summary>
    [Range(1, 65_536)]
    [Display(Name = Section + ":" + nameof(MaxReadBatch))]
    public int MaxReadBatch { get; set; } = 1024;

    [Range(1, 16)]
    [Display(Name = Section + ":" + nameof(ReadConcurrency))]
    public int ReadConcurrency { get; set; } = 2;
}
