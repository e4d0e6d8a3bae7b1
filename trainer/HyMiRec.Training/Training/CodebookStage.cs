using HyMiRec.Model.Codebooks;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Serving;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// What Stage 2 reads long histories through, as serving does: the Stage-1 item embeddings, the cosine residual
/// codebook fitted to them, and the item table rebuilt from their codes. Built once when Stage 1 ends, or kept from a
/// published version so that users' stored codes keep their meaning.
/// </summary>
public sealed class CodebookStage : IDisposable
{
    private CodebookStage(Tensor stageOneTable, ResidualQuantizer codebook)
    {
        StageOneTable = stageOneTable;
        Codebook = codebook;
        using var scope = NewDisposeScope();
        var rebuilt = codebook.Decode(codebook.Encode(stageOneTable[1..])); // [N, D]
        MeanCosine = nn.functional.cosine_similarity(rebuilt, stageOneTable[1..], dim: 1).mean().item<float>();
        HistoryTable = cat([zeros(1, stageOneTable.shape[1]), rebuilt], 0).DetachFromDisposeScope(); // [N+1, D], row 0 padding
    }

    /// <summary>The Stage-1 item embeddings [N + 1, D] the codebook was fitted to.</summary>
    public Tensor StageOneTable { get; }

    public ResidualQuantizer Codebook { get; }

    /// <summary>Every item rebuilt from its codes [N + 1, D]: the long history's input in Stage 2.</summary>
    public Tensor HistoryTable { get; }

    /// <summary>Mean cosine between an item's Stage-1 embedding and its rebuilt one.</summary>
    public double MeanCosine { get; }

    /// <summary>Fits the codebook to the item table of <paramref name="network"/>'s current weights.</summary>
    public static CodebookStage Build(HyMiRecNetwork network, Tensor tokens, HyMiRecOptions options, int seed)
    {
        Tensor table;
        using (no_grad())
        {
            network.eval();
            table = network.ItemTable(tokens).detach().clone(); // [N+1, D]
        }

        return new CodebookStage(table, InterestModelStore.TrainCodebook(options, table, seed));
    }

    /// <summary>A published version's codebook with the Stage-1 embeddings it was fitted to (new items take their own).</summary>
    public static CodebookStage Kept(Tensor stageOneTable, ResidualQuantizer codebook) => new(stageOneTable, codebook);

    public void Dispose()
    {
        StageOneTable.Dispose();
        Codebook.Dispose();
        HistoryTable.Dispose();
    }
}
