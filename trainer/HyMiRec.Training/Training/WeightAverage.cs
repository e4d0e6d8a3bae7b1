using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// An exponential moving average of a module's parameters, updated after every optimiser step. Validation and the kept
/// weights use the average: the best of many validations then picks an average over the last few epochs' steps
/// instead of the state one step left, so the pick depends less on one step's noise (on ML-1M the averaged SASRec
/// validates higher at every epoch; docs/benchmarks.md, "A moving average of the weights"). Buffers are not averaged;
/// they stay the live module's.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly (Parameter Live, Tensor Average)[] _pairs;
    private long _steps;
    private bool _applied;

    /// <param name="module">The module whose parameters are averaged from their current values on.</param>
    /// <param name="horizonSteps">The average's time constant in optimiser steps (the decay is 1 - 1 / horizon).</param>
    public WeightAverage(nn.Module module, double horizonSteps)
    {
        if (!(horizonSteps >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(horizonSteps), horizonSteps, "the average needs a horizon of at least one step");
        }

        Decay = 1 - (1 / horizonSteps);
        using var noGrad = no_grad();
        _pairs = module.parameters().Select(p => (p, p.detach().clone().DetachFromDisposeScope())).ToArray();
    }

    /// <summary>
    /// The average <paramref name="training"/> asks for (<see cref="TrainingOptions.AverageEpochs"/>, in steps of its batch
    /// size over <paramref name="sequences"/> training sequences), announced in <paramref name="model"/>'s training log;
    /// null when it is off.
    /// </summary>
    /// <param name="where">Where it applies, appended to the log line (e.g. " in Stage 2").</param>
    public static WeightAverage? Start(nn.Module module, TrainingOptions training, int sequences, ITrainingReporter reporter, string model,
        string where = "")
    {
        if (training.AverageEpochs <= 0)
        {
            return null;
        }

        var steps = Math.Max(1, training.AverageEpochs * Math.Ceiling(sequences / (double)training.BatchSize));
        reporter.Message(model, $"validating and keeping a moving average of the weights{where}, " +
            $"time constant {training.AverageEpochs:g} epochs ({steps:F0} steps)");
        return new WeightAverage(module, steps);
    }

    /// <summary>The decay once the average has run for its horizon: 1 - 1 / horizon steps.</summary>
    public double Decay { get; }

    /// <summary>The decay the next <see cref="Update"/> uses.</summary>
    /// <remarks>
    /// Early on it is lower, so the first averages are the mean of the steps so far rather than mostly the weights the
    /// average started from.
    /// </remarks>
    public double NextDecay => Math.Min(Decay, (_steps + 1.0) / (_steps + 2.0));

    /// <summary>Folds the module's current parameters into the average.</summary>
    public void Update()
    {
        if (_applied)
        {
            throw new InvalidOperationException("the average is swapped into the module; dispose the Apply scope before training on");
        }

        var decay = NextDecay;
        using var noGrad = no_grad();
        foreach (var (live, average) in _pairs)
        {
            average.mul_(decay).add_(live, alpha: 1 - decay);
        }

        _steps++;
    }

    /// <summary>Starts the average again from the module's current parameters (a new training stage).</summary>
    public void Reset()
    {
        if (_applied)
        {
            throw new InvalidOperationException("the average is swapped into the module; dispose the Apply scope first");
        }

        using var noGrad = no_grad();
        foreach (var (live, average) in _pairs)
        {
            average.copy_(live);
        }

        _steps = 0;
    }

    /// <summary>Puts the averaged parameters into the module until the returned scope is disposed, which puts the live ones back.</summary>
    public IDisposable Apply()
    {
        if (_applied)
        {
            throw new InvalidOperationException("the average is already swapped into the module");
        }

        Swap();
        _applied = true;
        return new Restore(this);
    }

    public void Dispose()
    {
        foreach (var (_, average) in _pairs)
        {
            average.Dispose();
        }
    }

    private void Swap()
    {
        using var noGrad = no_grad();
        foreach (var (live, average) in _pairs)
        {
            using var held = live.detach().clone();
            live.copy_(average);
            average.copy_(held);
        }
    }

    private sealed class Restore(WeightAverage owner) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                owner.Swap();
                owner._applied = false;
                _done = true;
            }
        }
    }
}
