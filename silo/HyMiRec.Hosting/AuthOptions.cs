namespace HyMiRec.Hosting;

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

    /// <summary>The keys a token may be signed with: the current one, then the one being rotated out.</summary>
    public IReadOnlyList<byte[]> ValidationKeys() =>
        [.. new[] { SigningKey, PreviousSigningKey }.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Convert.FromBase64String)];
}
