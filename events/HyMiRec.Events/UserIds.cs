namespace HyMiRec.Events;

/// <summary>The one rule for user ids, shared by the HTTP API, the client and the user grain.</summary>
public static class UserIds
{
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="userId"/> is acceptable, otherwise the reason it is not.</summary>
    public static string? Problem(string? userId)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            return "user id must be a non-empty string";
        }

        if (userId.Length > MaxLength)
        {
            return $"user id is {userId.Length} characters long; at most {MaxLength} are allowed";
        }

        return userId.Any(char.IsControl) ? "user id must not contain control characters" : null;
    }

    public static void Validate(string? userId)
    {
        var problem = Problem(userId);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(userId));
        }
    }
}
