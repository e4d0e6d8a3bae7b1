namespace HyMiRec.Events;

/// <summary>The one rule for click timestamps, shared by the Kafka codec and the HTTP API.</summary>
public static class Timestamps
{
    /// <summary>How far ahead of the receiving silo's clock a click may be (producers' clocks drift; a year does not).</summary>
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromDays(1);

    /// <summary>
    /// Null when <paramref name="timestamp"/> is acceptable at <paramref name="now"/>, otherwise the reason. Old
    /// timestamps are fine: replays of historical data (MovieLens from 1997) are valid input.
    /// </summary>
    public static string? Problem(DateTimeOffset timestamp, DateTimeOffset now, TimeSpan maxFutureSkew) =>
        timestamp - now > maxFutureSkew
            ? $"timestamp {timestamp:O} is {(timestamp - now).TotalHours:F1} h ahead of the silo's clock; at most {maxFutureSkew.TotalHours:F1} h are allowed"
            : null;
}
