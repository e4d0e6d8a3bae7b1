using HyMiRec.Model.Interests;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// The whole catalog's text summaries, recomputed without gradient every <c>refreshSteps</c> training steps, for
/// the items a large catalog's training step scores (targets and sampled negatives). Running the text encoder over a
/// step's negatives would make its cost grow with their number; taking the scored items' text from recent weights
/// keeps a step at the cost of the items it reads, so the number of negatives can be what sampled softmax needs
/// (thousands, not 128). Positives and negatives take the same cached text, so freshness tells them nothing; the text
/// encoder learns through the history items, and the scored items' id embeddings are live.
/// </summary>
public sealed class NegativeTextCache(int refreshSteps) : IDisposable
{
    private Tensor? _text;
    private Tensor? _mean;
    private int _steps;

    /// <summary>Times the cache was (re)computed, for the training log.</summary>
    public int Refreshes { get; private set; }

    /// <summary>The cache for this step ([N + 1, D] summaries and their [1, D] mean over rows 1..N), refreshed when due.</summary>
    /// <param name="tokens">[N + 1, T] catalog token ids (or [N + 1, H] pretrained features).</param>
    public (Tensor Text, Tensor Mean) ForStep(HyMiRecNetwork network, Tensor tokens)
    {
        if (_text is null || _steps >= refreshSteps)
        {
            Refresh(network, tokens);
        }

        _steps++;
        return (_text!, _mean!);
    }

    /// <summary>Forgets the cache so the next step recomputes it (e.g. after weights were replaced).</summary>
    public void Invalidate()
    {
        Dispose();
        _steps = 0;
    }

    public void Dispose()
    {
        _text?.Dispose();
        _mean?.Dispose();
        (_text, _mean) = (null, null);
    }

    private void Refresh(HyMiRecNetwork network, Tensor tokens)
    {
        Dispose();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            // Without dropout: the cache stands for the item as the model sees it at evaluation.
            network.eval();
            var text = network.ItemTextSummaries(tokens) ?? throw new InvalidOperationException("the negative text cache needs the text encoder");
            _text = text.detach().MoveToOuterDisposeScope().DetachFromDisposeScope(); // [N+1, D]
            _mean = _text[1..].mean([0], keepdim: true).MoveToOuterDisposeScope().DetachFromDisposeScope(); // [1, D]
            network.train();
        }

        _steps = 0;
        Refreshes++;
    }
}
