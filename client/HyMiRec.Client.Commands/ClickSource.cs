using System.Globalization;
using System.Text;
using System.Text.Json;
using HyMiRec.Events;

namespace HyMiRec.Client.Commands;

/// <summary>One message to publish: the user id (Kafka key) and the format-v1 JSON value.</summary>
internal readonly record struct ClickMessage(string UserId, byte[] Value);

/// <summary>Reads clicks to publish, validating all of them before anything is sent.</summary>
internal static class ClickSource
{
    /// <summary>
    /// A JSON-lines file of format-v1 clicks; each line is sent unchanged, keyed by its userId. Blank lines are
    /// skipped; any line the silo would dead-letter stops the command with its line number and reason.
    /// </summary>
    public static List<ClickMessage> ReadJsonLines(string path, int maxMessageBytes)
    {
        var codec = new ClickEventCodec(maxMessageBytes);
        var messages = new List<ClickMessage>();
        var number = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var value = Encoding.UTF8.GetBytes(line.Trim());
            var userId = TryReadUserId(value);
            var decoded = codec.Decode(userId is null ? null : ClickEventCodec.EncodeKey(userId), value, source: null);
            if (!decoded.IsAccepted)
            {
                throw new InvalidDataException($"{path} line {number}: {decoded.Rejection}");
            }

            messages.Add(new ClickMessage(decoded.Click.UserId, value));
        }

        return messages;
    }

    private static string? TryReadUserId(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("userId", out var user)
                && user.ValueKind == JsonValueKind.String
                    ? user.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// MovieLens ratings as clicks in time order (ties keep file order): ml-100k's u.data (tab-separated) or ml-1m's
    /// ratings.dat ("::"-separated); columns user, item, rating, unix seconds.
    /// </summary>
    public static List<ClickMessage> ReadMovieLens(string directory)
    {
        var (path, separator) = File.Exists(Path.Combine(directory, "u.data"))
            ? (Path.Combine(directory, "u.data"), "\t")
            : File.Exists(Path.Combine(directory, "ratings.dat"))
                ? (Path.Combine(directory, "ratings.dat"), "::")
                : throw new FileNotFoundException($"{directory} holds neither u.data (MovieLens 100K) nor ratings.dat (MovieLens 1M)");

        var ratings = new List<(long Seconds, string User, string Item)>();
        var number = 0;
        foreach (var line in File.ReadLines(path, Encoding.Latin1))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(separator);
            if (fields.Length < 4 || fields[0].Length == 0 || fields[1].Length == 0
                || !long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                throw new InvalidDataException($"{path} line {number}: expected user{separator}item{separator}rating{separator}unix-seconds, got \"{line}\"");
            }

            ratings.Add((seconds, fields[0].Trim(), fields[1].Trim()));
        }

        // OrderBy is stable, so equal timestamps keep the file's order.
        return ratings
            .OrderBy(r => r.Seconds)
            .Select(r => new ClickMessage(r.User, ClickEventCodec.Encode(
                new ClickEvent(r.User, r.Item, DateTimeOffset.FromUnixTimeSeconds(r.Seconds), ClickEventCodec.DefaultEventType, Source: null))))
            .ToList();
    }
}
