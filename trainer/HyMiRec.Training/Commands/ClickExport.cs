using System.Text;
using System.Text.Json;
using HyMiRec.Model.Data;

namespace HyMiRec.Training.Commands;

/// <summary>A dataset's interactions as click events v1 (docs/events.md), one JSON object per line, oldest first.</summary>
public static class ClickExport
{
    public static void Write(string path, InteractionDataset dataset)
    {
        var clicks = dataset.Users
            .SelectMany(u => u.Items.Select((item, i) => (User: u.UserId, Item: dataset.ItemIds[item], Time: u.Timestamps[i], Order: i)))
            .OrderBy(c => c.Time).ThenBy(c => c.User, StringComparer.Ordinal).ThenBy(c => c.Order);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var click in clicks)
        {
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                schema = 1,
                userId = click.User,
                itemId = click.Item,
                timestamp = DateTimeOffset.FromUnixTimeSeconds(click.Time).ToString("O"),
                eventType = "click",
            }));
        }
    }
}
