using HyMiRec.Model.Serving;

namespace HyMiRec.IntegrationTests.Retraining;

/// <summary>
/// Clicks with a planted shift. Phase 1: each user browses one topic of the original catalog. Phase 2: new items
/// arrive (through the items topic) and every user moves to the new items of the next topic. A model trained
/// before the shift cannot know the new items; a retrained one should find them.
/// </summary>
internal static class ShiftedClicks
{
    public const int Topics = 4;
    public const int ItemsPerTopic = 15;
    public const int Users = 96;
    public const int FirstPhaseClicks = 12;
    public const int SecondPhaseClicks = 10;

    public static ItemCatalog OriginalCatalog()
    {
        var ids = new List<string> { string.Empty };
        var texts = new List<string> { string.Empty };
        for (var t = 0; t < Topics; t++)
        {
            for (var j = 0; j < ItemsPerTopic; j++)
            {
                ids.Add(OldItem(t, j));
                texts.Add(Text(t, j, "classic"));
            }
        }

        return new ItemCatalog([.. ids], [.. texts]);
    }

    public static IEnumerable<(string ItemId, string Text)> NewItems() =>
        Enumerable.Range(0, Topics).SelectMany(t => Enumerable.Range(0, ItemsPerTopic).Select(j => (NewItem(t, j), Text(t, j, "release"))));

    public static string UserId(int u) => $"shift-user-{u:D3}";

    /// <summary>Phase 1 clicks of user <paramref name="u"/>: distinct original items of topic u mod 4, in a seeded order.</summary>
    public static string[] FirstPhase(int u) => Pick(u, ItemsPerTopic, FirstPhaseClicks, 1).Select(j => OldItem(u % Topics, j)).ToArray();

    /// <summary>Phase 2 clicks: distinct new items of the next topic.</summary>
    public static string[] SecondPhase(int u) => Pick(u, ItemsPerTopic, SecondPhaseClicks, 2).Select(j => NewItem((u + 1) % Topics, j)).ToArray();

    private static string OldItem(int topic, int j) => $"old-{topic}-{j:D2}";

    private static string NewItem(int topic, int j) => $"new-{topic}-{j:D2}";

    private static string Text(int topic, int j, string kind) =>
        $"{(char)('a' + topic)}topic {(char)('a' + topic)}genre {kind} title{j % 5} part{j / 5}";

    private static int[] Pick(int user, int from, int count, int phase)
    {
        var random = new Random((user * 31) + phase);
        return [.. Enumerable.Range(0, from).OrderBy(_ => random.Next()).Take(count)];
    }
}
