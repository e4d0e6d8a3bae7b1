namespace HyMiRec.Events;

/// <summary>External item ids as events carry them; the catalog decides whether it knows them.</summary>
public static class ItemIds
{
    public const int MaxLength = 256;

    public static string? Problem(string? itemId)
    {
        if (string.IsNullOrWhiteSpace(itemId))
        {
            return "item id must be a non-empty string";
        }

        return itemId.Length > MaxLength ? $"item id is {itemId.Length} characters long; at most {MaxLength} are allowed" : null;
    }
}
