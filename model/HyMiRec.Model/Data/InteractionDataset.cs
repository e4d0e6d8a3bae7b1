namespace HyMiRec.Model.Data;

/// <summary>One user's interactions in time order; item indices are dense, 1..ItemCount (0 is padding).</summary>
public sealed record UserSequence(string UserId, int[] Items, long[] Timestamps);

/// <summary>
/// A catalog plus per-user chronological sequences. Item index 0 is reserved for padding, so arrays indexed by
/// item (<see cref="ItemIds"/>, <see cref="ItemTexts"/>) have length ItemCount + 1.
/// </summary>
public sealed class InteractionDataset
{
    public InteractionDataset(string name, string[] itemIds, string[] itemTexts, IReadOnlyList<UserSequence> users)
    {
        if (itemIds.Length != itemTexts.Length || itemIds.Length == 0)
        {
            throw new ArgumentException("itemIds and itemTexts must have the same length (ItemCount + 1, index 0 = padding)");
        }

        Name = name;
        ItemIds = itemIds;
        ItemTexts = itemTexts;
        Users = users;
    }

    public string Name { get; }

    /// <summary>External item id per dense index; [0] is the padding slot.</summary>
    public string[] ItemIds { get; }

    /// <summary>Item text (title + genres or synthetic words) per dense index; [0] is empty, and so is every item of a dataset without text.</summary>
    public string[] ItemTexts { get; }

    /// <summary>False for data that brings no item text (plain user-item files, RecBole without NAME.item): text encoders have nothing to read.</summary>
    public bool HasItemText => ItemTexts.Skip(1).Any(t => t.Length > 0);

    public IReadOnlyList<UserSequence> Users { get; }

    public int ItemCount => ItemIds.Length - 1;

    public long InteractionCount => Users.Sum(u => (long)u.Items.Length);
}
