using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Modules;

/// <summary>Root-mean-square layer norm (LLaMA): x / rms(x) * g, no mean subtraction, no bias.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _scale;
    private readonly Scalar _epsilon; // a field, not a per-call implicit scalar (see Scalars)

    public RmsNorm(string name, int dimension, double epsilon = 1e-6)
        : base(name)
    {
        _epsilon = epsilon.ToScalar();
        _scale = nn.Parameter(ones(dimension));
        RegisterComponents();
    }

    /// <summary>g, exposed so pretrained checkpoints can load into it.</summary>
    public Parameter Scale => _scale;

    /// <param name="x">[..., D]</param>
    public override Tensor forward(Tensor x) =>
        x * (x.pow(Scalars.Two).mean([-1], keepdim: true) + _epsilon).rsqrt() * _scale;
}
