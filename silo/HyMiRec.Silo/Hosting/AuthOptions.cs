namespace HyMiRec.Silo.Hosting;

/// <summary>
/// Configuration section "Auth": JWT bearer tokens signed with a shared HMAC key (HS256/384/512). Tokens carry a
/// space-separated <c>scope</c> claim (<see cref="AuthPolicies"/>). Ignored in the Development environment, where
/// the API is open.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HMAC-SHA256 needs a key at least as long as its output to keep its full strength.</summary>
    public const int MinimumKeyBytes = 32;

    public string Issuer { get; set; } = "hymirec";

    public string Audience { get; set; } = "hymirec-api";

    /// <summary>Base64 key the token issuer signs with; in Kubernetes from a Secret (Auth__SigningKey).</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>The key being rotated out: tokens it signed stay valid until they expire (empty = none).</summary>
    public string PreviousSigningKey { get; set; } = "";

    /// <summary>Metrics are open by default so a Prometheus without credentials can scrape them.</summary>
    public bool RequireAuthForMetrics { get; set; }

    /// <summary>Every problem with the options, one line each and naming the key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Issuer))
        {
            errors.Add("Auth:Issuer must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            errors.Add("Auth:Audience must not be empty.");
        }

        if (KeyProblem(SigningKey, required: true) is { } signing)
        {
            errors.Add("Auth:SigningKey " + signing);
        }

        if (KeyProblem(PreviousSigningKey, required: false) is { } previous)
        {
            errors.Add("Auth:PreviousSigningKey " + previous);
        }

        return errors;
    }

    /// <summary>The keys a token may be signed with: the current one, then the one being rotated out.</summary>
    public IReadOnlyList<byte[]> ValidationKeys() =>
        [.. new[] { SigningKey, PreviousSigningKey }.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Convert.FromBase64String)];

    private static string? KeyProblem(string key, bool required)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return required ? $"is missing: set a base64 key of at least {MinimumKeyBytes * 8} bits ({MinimumKeyBytes} bytes), e.g. `openssl rand -base64 32`." : null;
        }

        var bytes = new byte[key.Length];
        if (!Convert.TryFromBase64String(key, bytes, out var length))
        {
            return "is not valid base64.";
        }

        return length < MinimumKeyBytes ? $"is too short: {length * 8} bits; at least {MinimumKeyBytes * 8} bits ({MinimumKeyBytes} bytes) are needed." : null;
    }
}
