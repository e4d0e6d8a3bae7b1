using System.Diagnostics;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>
/// Reads through the HTTP API of the live silos, round-robin, a few times a second (history and recommendations of
/// random users) and records failures and the longest time between two successful answers.
/// </summary>
internal sealed class QueryLoop
{
    private readonly HttpClient _http;
    private readonly string[] _users;
    private readonly List<string> _errors = [];
    private readonly List<double> _latenciesMs = [];
    private volatile Uri[] _targets = [];
    private long _succeeded;
    private long _failed;
    private TimeSpan _longestGap;

    public QueryLoop(HttpClient http, string[] users)
    {
        _http = http;
        _users = users;
    }

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public double ErrorRate => Succeeded + Failed == 0 ? 0 : (double)Failed / (Succeeded + Failed);

    public TimeSpan LongestGap => _longestGap;

    /// <summary>The first distinct failures (status or exception), for the report.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Median and slowest answer time, successful or not (valid once <see cref="RunAsync"/> has returned).</summary>
    public (double MedianMs, double MaxMs) Latency
    {
        get
        {
            if (_latenciesMs.Count == 0)
            {
                return (0, 0);
            }

            var sorted = _latenciesMs.Order().ToArray();
            return (sorted[sorted.Length / 2], sorted[^1]);
        }
    }

    /// <summary>Silos to query from now on (the killed one is taken out before it is killed).</summary>
    public void SetTargets(IEnumerable<Uri> targets) => _targets = [.. targets];

    public async Task RunAsync(TimeSpan period, CancellationToken stop)
    {
        var random = new Random(3);
        var lastSuccess = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(period);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var targets = _targets;
            var target = targets[i % targets.Length];
            var user = _users[random.Next(_users.Length)];
            var asked = Stopwatch.GetTimestamp();
            var path = i % 2 == 0 ? $"/v1/users/{user}/history?limit=5" : $"/v1/users/{user}/recommendations?k=5";
            string? error;
            try
            {
                using var response = await _http.GetAsync(new Uri(target, path), stop);
                error = response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} from {target.Port}";
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                error = $"{e.GetType().Name} from {target.Port}: {e.Message}";
            }

            var now = Stopwatch.GetTimestamp();
            _latenciesMs.Add(Stopwatch.GetElapsedTime(asked, now).TotalMilliseconds);
            if (error is null)
            {
                Interlocked.Increment(ref _succeeded);
                Widen(Stopwatch.GetElapsedTime(lastSuccess, now));
                lastSuccess = now;
            }
            else
            {
                Interlocked.Increment(ref _failed);
                if (_errors.Count < 10)
                {
                    _errors.Add(error);
                }
            }

            try
            {
                await timer.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // A failing stretch at the end counts too.
        Widen(Stopwatch.GetElapsedTime(lastSuccess));
    }

    private void Widen(TimeSpan gap)
    {
        if (gap > _longestGap)
        {
            _longestGap = gap;
        }
    }
}
