using System.Net.Http.Json;
using System.Text.Json;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>Reads users' histories through the HTTP API and compares them with the clicks produced.</summary>
internal static class Histories
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The user's click sequence numbers, oldest first; null when the silo did not answer.</summary>
    public static async Task<int[]?> SequencesAsync(HttpClient http, Uri silo, string user, int limit)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(silo, $"/v1/users/{user}/history?limit={limit}"));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var rows = await response.Content.ReadFromJsonAsync<List<Row>>(Json);
            return rows!.Select(r => ClickStream.SequenceOf(r.Timestamp)).Reverse().ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Lost = produced clicks missing; duplicated = entries beyond one per produced click; disordered = not ascending.</summary>
    public static Diff Compare(int produced, IReadOnlyList<int> seen)
    {
        var counts = new int[produced];
        var unexpected = 0;
        var disordered = 0;
        for (var i = 0; i < seen.Count; i++)
        {
            if (seen[i] >= 0 && seen[i] < produced)
            {
                counts[seen[i]]++;
            }
            else
            {
                unexpected++;
            }

            if (i > 0 && seen[i] <= seen[i - 1])
            {
                disordered++;
            }
        }

        var lost = counts.Count(c => c == 0);
        var duplicated = counts.Sum(c => Math.Max(0, c - 1)) + unexpected;
        return new Diff(lost, duplicated, disordered);
    }

    public readonly record struct Diff(int Lost, int Duplicated, int Disordered)
    {
        public static Diff operator +(Diff a, Diff b) => new(a.Lost + b.Lost, a.Duplicated + b.Duplicated, a.Disordered + b.Disordered);

        public bool IsExact => Lost == 0 && Duplicated == 0 && Disordered == 0;
    }

    private sealed record Row(string ItemId, DateTimeOffset Timestamp);
}
