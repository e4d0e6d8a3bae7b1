using System.Diagnostics;

namespace HyMiRec.Serving.Bench;

/// <summary>What the read load saw: latencies (ms) of the answered requests and how many were not 200.</summary>
internal sealed record ReadResult(int Sent, int Failed, double P50, double P99, double Max, IReadOnlyDictionary<int, int> Statuses);

/// <summary>
/// GET /v1/users/{id}/recommendations over HTTP at a fixed rate while the clicks flow, open loop: each request is
/// due at its own time whatever the earlier ones are doing, and its latency counts from that time, so a stall
/// shows up in every request that was due during it (no coordinated omission).
/// </summary>
internal sealed class ReadLoad(Uri api, int users, double rate, int k) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = api,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Sends requests until <paramref name="stop"/> is cancelled, then waits for the ones in flight.</summary>
    /// <param name="userPrefix">Whose recommendations: <c>{prefix}{0..readUsers-1}</c>, by default the run's measured users.</param>
    public async Task<ReadResult> RunAsync(CancellationToken stop, string userPrefix = "user-", int? readUsers = null)
    {
        var population = readUsers ?? users;
        var random = new Random(7);
        var requests = new List<Task<(double Ms, int Status)>>();
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * rate) + 1;
                for (var n = requests.Count; n < due; n++)
                {
                    var dueAt = n / rate;
                    requests.Add(GetAsync($"{userPrefix}{random.Next(population)}", clock, dueAt));
                }

                await timer.WaitForNextTickAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        var answers = await Task.WhenAll(requests);
        var ok = answers.Where(a => a.Status == 200).Select(a => a.Ms).Order().ToArray();
        var statuses = answers.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        return ok.Length == 0
            ? new ReadResult(answers.Length, answers.Length, double.NaN, double.NaN, double.NaN, statuses)
            : new ReadResult(answers.Length, answers.Length - ok.Length, ServingMeter.Rank(ok, 0.50), ServingMeter.Rank(ok, 0.99), ok[^1], statuses);
    }

    /// <summary>Warms the connection pool and the endpoint so the first measured requests do not pay for JIT.</summary>
    public async Task WarmAsync(int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            using var response = await _http.GetAsync($"v1/users/user-{i % users}/recommendations?k={k}");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<(double Ms, int Status)> GetAsync(string user, Stopwatch clock, double dueAt)
    {
        await Task.Yield();
        try
        {
            using var response = await _http.GetAsync($"v1/users/{user}/recommendations?k={k}");
            await response.Content.LoadIntoBufferAsync();
            return ((clock.Elapsed.TotalSeconds - dueAt) * 1000, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return ((clock.Elapsed.TotalSeconds - dueAt) * 1000, 0); // no answer at all
        }
    }
}
