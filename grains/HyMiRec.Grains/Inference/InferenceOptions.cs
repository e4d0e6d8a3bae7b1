using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Grains.Inference;

/// <summary>Configuration section "Inference": how concurrent interest requests are batched.</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>Most requests the batching loop drains from the queue at once.</summary>
    [Range(1, 4096)]
    [Display(Name = Section + ":" + nameof(MaxBatchSize))]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// How long the batching loop waits for more requests after the first; 0 (default) = take only what is queued, so
    /// the batch grows with the queue and a lone request is never held back waiting for company.
    /// </summary>
    [Range(0, 1000)]
    [Display(Name = Section + ":" + nameof(MaxWaitMs))]
    public int MaxWaitMs { get; set; }

    /// <summary>
    /// Most requests in one forward pass; a drained batch is split into passes of at most this many. A CPU node runs
    /// fastest at small passes (docs/serving.md); a GPU wants it as large as MaxBatchSize.
    /// </summary>
    [Range(1, 4096)]
    [Display(Name = Section + ":" + nameof(MaxForwardBatchSize))]
    public int MaxForwardBatchSize { get; set; } = 64;

    /// <summary>
    /// Requests waiting for a forward pass beyond which new ones are refused at once (HTTP 503 with Retry-After)
    /// instead of queueing without bound.
    /// </summary>
    [Range(1, 1_000_000)]
    [Display(Name = Section + ":" + nameof(MaxQueueLength))]
    public int MaxQueueLength { get; set; } = 4096;

    /// <summary>
    /// Largest share of padded history positions in one forward pass (requests are grouped by history length);
    /// 1 = no limit, 0 = only equal lengths share a pass.
    /// </summary>
    [Range(0.0, 1.0)]
    [Display(Name = Section + ":" + nameof(MaxPaddingWaste))]
    public double MaxPaddingWaste { get; set; } = 0.5;

    /// <summary>
    /// libtorch intra-op threads for the forward passes; 0 (default) = libtorch's own choice (one per core). On a
    /// small node the grains, Kafka reads and HTTP share the cores with inference, and fewer threads may serve a
    /// lower tail (docs/serving.md has the measured trade-off).
    /// </summary>
    [Range(0, 256)]
    [Display(Name = Section + ":" + nameof(IntraOpThreads))]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Memory for per-user history states kept between a user's recomputes (the lightweight recommender's history
    /// tokens), so a recompute after a click computes the new events and not the whole history again; least
    /// recently used users go first. 0 keeps none. An entry holds (coarse blocks - 1) x dimension x 4 bytes per event
    /// and the event's codes, with room to grow: about 335 KB for a 1,000-event history at the default model's size.
    /// </summary>
    [Range(0, 1_048_576)]
    [Display(Name = Section + ":" + nameof(HistoryCacheMegabytes))]
    public int HistoryCacheMegabytes { get; set; } = 256;
}
