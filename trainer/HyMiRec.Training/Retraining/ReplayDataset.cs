using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;

namespace HyMiRec.Training.Retraining;

/// <summary>A user's newest window, kept out of training: the model sees <see cref="Input"/> and should rank <see cref="Targets"/>.</summary>
public sealed record HoldoutCase(string UserId, string[] Input, string[] Targets);

/// <summary>
/// Per-user sequences rebuilt from a replayed click log, with each user's newest window of <c>w</c> clicks held out
/// (users with at least <c>w + <see cref="MinTrainingItems"/></c> clicks). Items are external ids so the holdout can
/// score models with different catalogs; clicks on items the catalog does not know are counted and dropped.
/// </summary>
public sealed class ReplayDataset
{
    public const int MinTrainingItems = 3;

    private ReplayDataset(InteractionDataset training, HoldoutCase[] holdout, long unknownItemClicks, int users)
    {
        Training = training;
        Holdout = holdout;
        UnknownItemClicks = unknownItemClicks;
        Users = users;
    }

    /// <summary>Training sequences (holdout windows removed) over the full catalog.</summary>
    public InteractionDataset Training { get; }

    public HoldoutCase[] Holdout { get; }

    public long UnknownItemClicks { get; }

    public int Users { get; }

    public static ReplayDataset Build(IEnumerable<ReplayedClick> clicks, ItemCatalog catalog, int window, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        long unknown = 0;
        var users = new List<UserSequence>();
        var holdout = new List<HoldoutCase>();

        // A user's clicks share one partition (the key is the user id), so (partition, offset) is the order the
        // silo appended them in, whatever the producers' clocks said.
        foreach (var user in clicks.GroupBy(c => c.UserId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = user.OrderBy(c => c.Partition).ThenBy(c => c.Offset).ToArray();
            var items = new List<int>(ordered.Length);
            var times = new List<long>(ordered.Length);
            foreach (var click in ordered)
            {
                if (catalog.TryGetIndex(click.ItemId, out var index))
                {
                    items.Add(index);
                    times.Add(click.Timestamp.ToUnixTimeSeconds());
                }
                else
                {
                    unknown++;
                }
            }

            if (items.Count == 0)
            {
                continue;
            }

            var keep = items.Count >= window + MinTrainingItems ? items.Count - window : items.Count;
            if (keep < items.Count)
            {
                holdout.Add(new HoldoutCase(user.Key, [.. items[..keep].Select(i => catalog.ItemIds[i])], [.. items[keep..].Select(i => catalog.ItemIds[i])]));
            }

            users.Add(new UserSequence(user.Key, [.. items[..keep]], [.. times[..keep]]));
        }

        var training = new InteractionDataset(name, catalog.ItemIds, catalog.ItemTexts, users);
        return new ReplayDataset(training, [.. holdout], unknown, users.Count);
    }
}
