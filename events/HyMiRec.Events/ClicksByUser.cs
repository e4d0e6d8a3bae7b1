namespace HyMiRec.Events;

/// <summary>One user's clicks of a batch, in batch order, with their positions in the batch.</summary>
public sealed record UserClicks(string UserId, ClickEvent[] Clicks, int[] Positions);

/// <summary>The one way a batch of clicks is split per user (the HTTP API and the client send one call per user).</summary>
public static class ClicksByUser
{
    /// <summary>Users in order of their first click; ids compared ordinally.</summary>
    public static IReadOnlyList<UserClicks> Split(IReadOnlyList<ClickEvent> events) =>
        [.. events.Select((click, position) => (click, position))
            .GroupBy(e => e.click.UserId, StringComparer.Ordinal)
            .Select(g => new UserClicks(g.Key, [.. g.Select(e => e.click)], [.. g.Select(e => e.position)]))];
}
