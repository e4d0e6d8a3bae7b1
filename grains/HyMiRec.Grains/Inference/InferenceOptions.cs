using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Grains.Inference;

/// <summary>Configuration section "Inference": how concurrent interest requests are batched.</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>How long the batching loop waits for more requests after the first; 0 = take only what is queued.</summary>
    [Range(0, 1000)]
    public int MaxWaitMs { get; set; } = 2;
}
