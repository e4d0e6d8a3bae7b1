namespace HyMiRec.Model.Serving;

/// <summary>External item ids and texts by dense index (index 0 is padding), with the reverse lookup.</summary>
public sealed class ItemCatalog
{
    private readonly Dictionary<string, int> _indexById;

    public ItemCatalog(string[] itemIds, string[] itemTexts)
    {
        if (itemIds.Length != itemTexts.Length || itemIds.Length == 0)
        {
            throw new ArgumentException("itemIds and itemTexts must have the same length (ItemCount + 1, index 0 = padding)");
        }

        ItemIds = itemIds;
        ItemTexts = itemTexts;
        _indexById = new Dictionary<string, int>(itemIds.Length, StringComparer.Ordinal);
        for (var i = 1; i < itemIds.Length; i++)
        {
            if (!_indexById.TryAdd(itemIds[i], i))
            {
                throw new ArgumentException($"duplicate item id '{itemIds[i]}' at index {i}");
            }
        }
    }

    public string[] ItemIds { get; }

    public string[] ItemTexts { get; }

    public int ItemCount => ItemIds.Length - 1;

    public bool TryGetIndex(string itemId, out int index) => _indexById.TryGetValue(itemId, out index);
}
