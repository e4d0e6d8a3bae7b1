using System.Globalization;

namespace HyMiRec.Training.Training;

/// <summary>What one candidate's training reported: its best validation score and the epochs it ran.</summary>
public sealed record CandidateFit(double? Validation, int Epochs);

/// <summary>One candidate's outcome, in grid order.</summary>
public sealed record CandidateScore(string Name, double Validation, int Epochs);

/// <summary>The chosen candidate, still alive and owned by the caller, and every candidate's score in grid order.</summary>
public sealed record SelectionOutcome<T>(T Winner, string Chosen, IReadOnlyList<CandidateScore> Candidates);

/// <summary>
/// Trains each candidate in turn and keeps the one with the highest validation score. The fit function sees the
/// training data and returns only a validation score, so the test split cannot leak into the choice. Ties go to the
/// earlier candidate: the grid lists simpler models first, and a tie gives no reason to pay for a bigger one. Only the
/// best model so far is kept alive, so memory stays at two models however long the grid is.
/// </summary>
public sealed class ModelSelector<T>(IReadOnlyList<string> candidates, Func<string, T> create, Func<T, CandidateFit> fit)
    where T : IDisposable
{
    private readonly IReadOnlyList<string> _candidates = Checked(candidates);

    /// <param name="log">Receives one line per trained candidate and one for the choice.</param>
    public SelectionOutcome<T> Run(Action<string> log)
    {
        var scores = new List<CandidateScore>();
        var best = default(T);
        var bestScore = double.NegativeInfinity;
        string? chosen = null;
        try
        {
            foreach (var name in _candidates)
            {
                var (model, score) = Train(name);
                scores.Add(score);
                log($"candidate {name}: val ndcg@10 {score.Validation:F4} after {score.Epochs} epochs");
                if (score.Validation > bestScore)
                {
                    best?.Dispose();
                    (best, bestScore, chosen) = (model, score.Validation, name);
                }
                else
                {
                    model.Dispose();
                }
            }
        }
        catch
        {
            best?.Dispose();
            throw;
        }

        log($"chose {chosen} (val ndcg@10 {bestScore:F4}) of {_candidates.Count} candidates");
        return new SelectionOutcome<T>(best!, chosen!, scores);
    }

    private static IReadOnlyList<string> Checked(IReadOnlyList<string> candidates)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("model selection needs at least one candidate", nameof(candidates));
        }

        return candidates.Distinct(StringComparer.Ordinal).Count() == candidates.Count ? candidates
            : throw new ArgumentException($"model selection candidates repeat: {string.Join(", ", candidates)}", nameof(candidates));
    }

    private (T Model, CandidateScore Score) Train(string name)
    {
        T model;
        try
        {
            model = create(name);
        }
        catch (Exception e) when (e is not UsageException)
        {
            throw new InvalidOperationException($"model selection: candidate {name} could not be created: {e.Message}", e);
        }

        CandidateFit result;
        try
        {
            result = fit(model);
        }
        catch (Exception e)
        {
            model.Dispose();
            if (e is UsageException)
            {
                throw;
            }

            throw new InvalidOperationException($"model selection: candidate {name} failed: {e.Message}", e);
        }

        if (result.Validation is not { } validation || !double.IsFinite(validation))
        {
            // A missing score would silently lose to every other candidate; a grid that cannot be judged must stop.
            model.Dispose();
            var seen = result.Validation is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "no final-stage validation ran";
            throw new UsageException($"model selection: candidate {name} has no finite validation score ({seen} in {result.Epochs} epochs); " +
                "give it more epochs or time");
        }

        return (model, new CandidateScore(name, validation, result.Epochs));
    }
}
