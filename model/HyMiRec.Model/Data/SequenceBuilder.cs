namespace HyMiRec.Model.Data;

/// <summary>
/// Turns the (user, item, time) events of a token-keyed file into an <see cref="InteractionDataset"/>: items take
/// dense indices in order of first mention (an item file first, then items only the events name), users keep the
/// order of their first event, and each user's events are sorted by time with ties kept in file order.
/// </summary>
internal sealed class SequenceBuilder
{
    private readonly List<string> _itemIds = [string.Empty];
    private readonly List<string> _itemTexts = [string.Empty];
    private readonly Dictionary<string, int> _itemIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(double Time, int Item)>> _byUser = new(StringComparer.Ordinal);
    private readonly List<string> _users = []; // first-event order; Dictionary enumeration order is not promised

    /// <returns>False when the item is already known (a repeated row of an item file).</returns>
    public bool AddItem(string id, string text)
    {
        if (!_itemIndex.TryAdd(id, _itemIds.Count))
        {
            return false;
        }

        _itemIds.Add(id);
        _itemTexts.Add(text);
        return true;
    }

    public void AddEvent(string user, string item, double time)
    {
        if (!_itemIndex.TryGetValue(item, out var index))
        {
            index = _itemIds.Count;
            AddItem(item, string.Empty);
        }

        if (!_byUser.TryGetValue(user, out var events))
        {
            events = [];
            _byUser.Add(user, events);
            _users.Add(user);
        }

        events.Add((time, index));
    }

    /// <param name="path">The events file, named when it holds no events.</param>
    public InteractionDataset Build(string name, string path)
    {
        if (_users.Count == 0)
        {
            throw DatasetFormatException.ForFile(path, "no interactions");
        }

        var users = new List<UserSequence>(_users.Count);
        foreach (var user in _users)
        {
            // OrderBy is stable, so equal timestamps keep the order the lines had in the file.
            var events = _byUser[user].OrderBy(e => e.Time).ToArray();
            users.Add(new UserSequence(user, [.. events.Select(e => e.Item)], [.. events.Select(e => (long)Math.Floor(e.Time))]));
        }

        return new InteractionDataset(name, [.. _itemIds], [.. _itemTexts], users);
    }
}
