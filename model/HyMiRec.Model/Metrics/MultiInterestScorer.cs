using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Metrics;

/// <summary>
/// Scores items against a multi-interest user: an item's score is its best cosine over the user's S interests,
/// so one strong interest is enough to retrieve an item (the other interests do not dilute it).
/// </summary>
public static class MultiInterestScorer
{
    /// <param name="interests">[B, S, D] user interest vectors.</param>
    /// <param name="itemEmbeddings">[N+1, D] item vectors; row 0 (padding) may be zeros and then scores 0.</param>
    /// <returns>[B, N+1] max-over-interests cosine similarities. Gradients flow unless the caller disables them.</returns>
    public static Tensor Score(Tensor interests, Tensor itemEmbeddings)
    {
        if (interests.dim() != 3 || itemEmbeddings.dim() != 2 || interests.shape[2] != itemEmbeddings.shape[1])
        {
            throw new ArgumentException(
                $"need interests [B, S, D] and items [N+1, D], got [{string.Join(", ", interests.shape)}] and [{string.Join(", ", itemEmbeddings.shape)}]");
        }

        using var scope = torch.NewDisposeScope();
        var users = nn.functional.normalize(interests, p: 2, dim: -1);
        var items = nn.functional.normalize(itemEmbeddings, p: 2, dim: -1);
        var cosines = torch.matmul(users, items.t());
        return cosines.max(1).values.MoveToOuterDisposeScope();
    }
}
