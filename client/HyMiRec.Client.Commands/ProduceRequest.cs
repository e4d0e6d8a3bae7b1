namespace HyMiRec.Client.Commands;

/// <summary>What <c>hymirec produce</c> was asked to do.</summary>
internal sealed record ProduceRequest(
    string Bootstrap,
    string Topic,
    string? File,
    string? MovieLens,
    double Rate,
    int? Limit,
    int MaxMessageBytes,
    int DeliveryTimeoutSeconds,
    IReadOnlyDictionary<string, string> Settings)
{
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bootstrap))
        {
            throw new ArgumentException("--bootstrap must name at least one broker (host:port)");
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            throw new ArgumentException("--topic must not be empty");
        }

        if ((File is null) == (MovieLens is null))
        {
            throw new ArgumentException("give exactly one of --file and --movielens");
        }

        if (double.IsNaN(Rate) || double.IsInfinity(Rate) || Rate < 0)
        {
            throw new ArgumentException($"--rate must be 0 (as fast as possible) or a positive number of messages per second, got {Rate}");
        }

        if (Limit is < 0)
        {
            throw new ArgumentException($"--limit must not be negative, got {Limit}");
        }

        if (MaxMessageBytes < 1 || DeliveryTimeoutSeconds < 1)
        {
            throw new ArgumentException("--max-message-bytes and --delivery-timeout must be positive");
        }

        if (Settings.ContainsKey("bootstrap.servers"))
        {
            throw new ArgumentException("use --bootstrap, not --setting bootstrap.servers=...");
        }
    }
}
