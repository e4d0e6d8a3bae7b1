using System.Globalization;
using System.Text;

namespace HyMiRec.Model.Data;

/// <summary>
/// Writes a dataset as a MovieLens 1M directory (movies.dat, ratings.dat, Latin-1), so that synthetic data can
/// exercise <see cref="MovieLensReader"/> without shipping MovieLens files. Reading the result back gives the same
/// catalog, users and sequences (with name <see cref="MovieLensReader.Name1M"/>).
/// </summary>
public static class MovieLensWriter
{
    /// <summary>Every rating is written as 4; the reader treats all ratings as implicit feedback anyway.</summary>
    private const int ImplicitRating = 4;

    public static void Write1M(InteractionDataset dataset, string directory)
    {
        Directory.CreateDirectory(directory);
        var movies = new StringBuilder();
        for (var item = 1; item <= dataset.ItemCount; item++)
        {
            var id = RequireNumeric(dataset.ItemIds[item], "item id");
            var text = dataset.ItemTexts[item];
            if (text.Contains("::", StringComparison.Ordinal))
            {
                throw new ArgumentException($"item {id}: text must not contain '::'");
            }

            // The reader rebuilds "title | a, b" from "title::a|b"; split at the last " | " since titles may hold '|'.
            var cut = text.LastIndexOf(" | ", StringComparison.Ordinal);
            var title = cut < 0 ? text : text[..cut];
            var genres = cut < 0 ? string.Empty : string.Join('|', text[(cut + 3)..].Split(", "));
            movies.Append(CultureInfo.InvariantCulture, $"{id}::{title}::{genres}\n");
        }

        var ratings = new StringBuilder();
        foreach (var user in dataset.Users)
        {
            var userId = RequireNumeric(user.UserId, "user id");
            for (var i = 0; i < user.Items.Length; i++)
            {
                var itemId = dataset.ItemIds[user.Items[i]];
                ratings.Append(CultureInfo.InvariantCulture, $"{userId}::{itemId}::{ImplicitRating}::{user.Timestamps[i]}\n");
            }
        }

        File.WriteAllText(Path.Combine(directory, "movies.dat"), movies.ToString(), Encoding.Latin1);
        File.WriteAllText(Path.Combine(directory, "ratings.dat"), ratings.ToString(), Encoding.Latin1);
    }

    private static int RequireNumeric(string id, string what) =>
        int.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"MovieLens 1M needs numeric ids; {what} '{id}' is not");
}
