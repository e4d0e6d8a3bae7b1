using System.Globalization;
using HyMiRec.Grains.Users;

namespace HyMiRec.Serving.Bench;

/// <summary>The command line: <c>--name value</c> pairs, each optional; a bad one is an error naming it.</summary>
internal sealed record BenchArguments(
    int Clicks,
    int Users,
    int Partitions,
    IReadOnlyList<RecomputeMode> Modes,
    double Rate,
    string Storage,
    int TimeoutSeconds,
    int Prefill,
    string? Out,
    double ReadRate,
    int WarmupSeconds,
    IReadOnlyDictionary<string, string> SiloSettings,
    int Profile,
    bool KeepActive,
    bool Settle)
{
    public const string Usage =
        "usage: hymirec-serving-bench [--clicks 50000] [--users 1000] [--partitions 8] [--modes OnRead,Throttled,EveryEvent]\n" +
        "                             [--rate 0 (clicks/s; 0 = all at once)] [--storage POSTGRES_CONNECTION_STRING] [--timeout-s 300]\n" +
        "                             [--prefill 0 (stored history events per user before the clock; grains deactivated after)] [--out FILE.json]\n" +
        "                             [--keep-active 0 (1: the prefilled grains stay active, so the measured clicks reach warm users)]\n" +
        "                             [--settle 0 (1: after the prefill, VACUUM ANALYZE and CHECKPOINT the database and collect the heap once)]\n" +
        "                             [--read-rate 0 (GET recommendations/s over HTTP while the measured clicks flow)]\n" +
        "                             [--warmup-s 0 (seconds of clicks at --rate to other users, prefilled alike, before the clock, so the silo is warm)]\n" +
        "                             [--silo 'Section:Key=value;...' (extra silo settings, e.g. Inference:IntraOpThreads=1)]\n" +
        "                             [--profile 0 (N > 0: the N types allocating most, and every GC pause, in the measured phase)]";

    private static readonly string[] Known =
        ["clicks", "users", "partitions", "modes", "rate", "storage", "timeout-s", "prefill", "out", "read-rate", "warmup-s", "silo", "profile", "keep-active", "settle"];

    public static BenchArguments Parse(string[] args) => From(OptionPairs.Parse(args, Known));

    /// <summary>From pairs already parsed (names without the dashes); what they lack keeps its default.</summary>
    public static BenchArguments From(IReadOnlyDictionary<string, string> values)
    {
        var parsed = new BenchArguments(
            Int(values, "clicks", 50_000),
            Int(values, "users", 1_000),
            Int(values, "partitions", 8),
            ParseModes(values.GetValueOrDefault("modes", "OnRead,Throttled,EveryEvent")),
            values.TryGetValue("rate", out var rate) ? Number(rate, "rate") : 0,
            values.GetValueOrDefault("storage", ""),
            Int(values, "timeout-s", 300),
            Int(values, "prefill", 0),
            values.GetValueOrDefault("out"),
            values.TryGetValue("read-rate", out var readRate) ? Number(readRate, "read-rate") : 0,
            Int(values, "warmup-s", 0),
            ParseSettings(values.GetValueOrDefault("silo", "")),
            Int(values, "profile", 0),
            Flag(values, "keep-active"),
            Flag(values, "settle"));
        if (parsed.Clicks < 1 || parsed.Users < 1 || parsed.Partitions < 1 || parsed.TimeoutSeconds < 1 || parsed.Rate < 0 || parsed.Prefill < 0 || parsed.ReadRate < 0 || parsed.WarmupSeconds < 0 || parsed.Profile < 0 || (parsed.WarmupSeconds > 0 && parsed.Rate == 0))
        {
            throw new ArgumentException("--clicks, --users, --partitions and --timeout-s must be positive, --rate, --prefill, --read-rate and --warmup-s at least 0; --warmup-s needs --rate");
        }

        return parsed;
    }

    private static int Int(IReadOnlyDictionary<string, string> values, string name, int fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"--{name} must be a whole number, got '{text}'");

    private static bool Flag(IReadOnlyDictionary<string, string> values, string name) =>
        Int(values, name, 0) switch { 0 => false, 1 => true, _ => throw new ArgumentException($"--{name} must be 0 or 1") };

    private static double Number(string text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"--{name} must be a number, got '{text}'");

    private static Dictionary<string, string> ParseSettings(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2) is [var key, var value] && key.Length > 0
                ? (Key: key, Value: value)
                : throw new ArgumentException($"--silo: expected 'Section:Key=value', got '{pair}'"))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    private static RecomputeMode[] ParseModes(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => Enum.TryParse<RecomputeMode>(m, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new ArgumentException($"--modes: unknown recompute mode '{m}' (known: {string.Join(", ", Enum.GetNames<RecomputeMode>())})"))
            .ToArray();
}
