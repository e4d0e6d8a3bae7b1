namespace HyMiRec.Events;

/// <summary>
/// The one rule for client event ids (optional "eventId" of a click, the HTTP Idempotency-Key), shared by the HTTP
/// API and the Kafka codec. A narrow ASCII charset keeps ids safe in headers, logs and keys, and covers UUIDs, ULIDs
/// and base64/base64url tokens.
/// </summary>
public static class EventIds
{
    public const int MaxLength = 128;

    /// <summary>
    /// An Idempotency-Key leaves room for "/" and a request index (below 10,000 events per request), so every id
    /// derived from it obeys <see cref="MaxLength"/> too.
    /// </summary>
    public const int MaxKeyLength = MaxLength - 8;

    private const string Punctuation = "-_.:/+=@";

    /// <summary>Null when <paramref name="eventId"/> is acceptable, otherwise the reason it is not.</summary>
    public static string? Problem(string? eventId) => Check(eventId, "event id", MaxLength);

    /// <summary>Null when <paramref name="key"/> is an acceptable Idempotency-Key, otherwise the reason.</summary>
    public static string? KeyProblem(string? key) => Check(key, "Idempotency-Key", MaxKeyLength);

    /// <summary>The id of the event at <paramref name="index"/> of a request sent with Idempotency-Key <paramref name="key"/>.</summary>
    public static string Derive(string key, int index) =>
        key + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? Check(string? id, string what, int maxLength)
    {
        if (string.IsNullOrEmpty(id))
        {
            return $"{what} must be a non-empty string";
        }

        if (id.Length > maxLength)
        {
            return $"{what} is {id.Length} characters long; at most {maxLength} are allowed";
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !Punctuation.Contains(c, StringComparison.Ordinal))
            {
                return $"{what} may hold only ASCII letters, digits and {Punctuation}; found '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}'";
            }
        }

        return null;
    }
}
