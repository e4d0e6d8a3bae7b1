namespace HyMiRec.Kafka.Client;

/// <summary>Extra librdkafka settings given on a command line as repeatable <c>key=value</c> options.</summary>
public static class KafkaSettingPairs
{
    /// <exception cref="ArgumentException">A pair without a key or without '=', naming <paramref name="option"/>.</exception>
    public static Dictionary<string, string> Parse(IEnumerable<string> pairs, string option)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"{option} expects key=value, got \"{pair}\"");
            }

            result[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return result;
    }
}
