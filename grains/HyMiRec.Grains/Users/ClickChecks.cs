using HyMiRec.Events;

namespace HyMiRec.Grains.Users;

/// <summary>What a user grain refuses in a click, and which failures are a refusal for good rather than an outage.</summary>
public static class ClickChecks
{
    /// <summary>Why <paramref name="click"/> cannot go into <paramref name="userId"/>'s history; null when it can.</summary>
    public static string? Problem(ClickEvent click, string userId) =>
        !string.Equals(click.UserId, userId, StringComparison.Ordinal)
            ? $"event for user '{click.UserId}' sent to user '{userId}'"
            : ItemIds.Problem(click.ItemId);

    /// <summary>Errors that the same click would raise again on every retry (dead-letter it); anything else may pass
    /// (storage down: retry the delivery).</summary>
    public static bool IsRefusal(Exception e) => e is ArgumentException or FormatException or InvalidDataException or OverflowException;
}
