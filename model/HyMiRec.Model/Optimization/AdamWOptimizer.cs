using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Optimization;

/// <summary>
/// AdamW (decoupled weight decay), the same update as TorchSharp's <c>optim.AdamW</c> step for step. It exists because
/// the library's step hands the native calls scalars converted implicitly from doubles: the GC may finalise such a
/// scalar while the call that received its handle still runs, and a 100-epoch benchmark died that way inside
/// <c>div_Scalar</c>. Here every scalar is held in a field or a local that is disposed only after the calls using it.
/// </summary>
public sealed class AdamWOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _firstMoments;
    private readonly Tensor?[] _secondMoments;
    private readonly long[] _steps;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _decay;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _beta1Complement;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _beta2Complement;
    private readonly Scalar _epsilon;
    private bool _disposed;

    public AdamWOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0.01)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), $"betas must lie in [0, 1): got {beta1} and {beta2}");
        }

        _parameters = parameters.ToArray();
        _firstMoments = new Tensor?[_parameters.Length];
        _secondMoments = new Tensor?[_parameters.Length];
        _steps = new long[_parameters.Length];
        LearningRate = learningRate;
        (_beta1, _beta2) = (beta1, beta2);
        _decay = 1 - (learningRate * weightDecay);
        _beta1Scalar = beta1;
        _beta1Complement = 1 - beta1;
        _beta2Scalar = beta2;
        _beta2Complement = 1 - beta2;
        _epsilon = epsilon;
    }

    public double LearningRate { get; }

    /// <summary>Zeroes the gradients that exist; a parameter that never had one is skipped by <see cref="Step"/>.</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_().Dispose();
        }
    }

    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            var step = ++_steps[i];
            var first = _firstMoments[i] ??= zeros_like(parameter).DetachFromDisposeScope();
            var second = _secondMoments[i] ??= zeros_like(parameter).DetachFromDisposeScope();
            var correction1 = 1 - Math.Pow(_beta1, step);
            var correction2 = 1 - Math.Pow(_beta2, step);
            using Scalar correction2Root = Math.Sqrt(correction2);
            using Scalar stepSize = -LearningRate / correction1;

            parameter.mul_(_decay);
            first.mul_(_beta1Scalar).add_(grad, _beta1Complement);
            second.mul_(_beta2Scalar).addcmul_(grad, grad, _beta2Complement);
            var denominator = second.sqrt().div_(correction2Root).add_(_epsilon);
            parameter.addcdiv_(first, denominator, stepSize);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment?.Dispose();
        }

        foreach (var scalar in new[] { _decay, _beta1Scalar, _beta1Complement, _beta2Scalar, _beta2Complement, _epsilon })
        {
            scalar.Dispose();
        }
    }
}
