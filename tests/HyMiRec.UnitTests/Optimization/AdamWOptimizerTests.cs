using HyMiRec.Model.Optimization;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Optimization;

public sealed class AdamWOptimizerTests
{
    [Fact]
    public void Matches_torchsharp_adamw_step_for_step_including_a_parameter_without_gradient()
    {
        using var ours = new Net(7);
        using var reference = new Net(7);
        using var optimizer = new AdamWOptimizer(ours.parameters(), 0.01, 0.9, 0.98, weightDecay: 0.1);
        var referenceOptimizer = optim.AdamW(reference.parameters(), 0.01, 0.9, 0.98, weight_decay: 0.1);
        var generator = new Generator(3);
        for (var step = 0; step < 12; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn([16, 5], generator: generator);
            var y = randn([16, 1], generator: generator);
            optimizer.ZeroGrad();
            referenceOptimizer.zero_grad();
            nn.functional.mse_loss(ours.forward(x), y).backward();
            nn.functional.mse_loss(reference.forward(x), y).backward();
            optimizer.Step();
            referenceOptimizer.step();

            foreach (var ((name, mine), (_, theirs)) in ours.named_parameters().Zip(reference.named_parameters()))
            {
                var difference = (mine - theirs).abs().max().item<float>();
                Assert.True(difference == 0f, $"step {step + 1}, {name}: differs by {difference}");
            }
        }

        Assert.Null(ours.Unused.grad);
        Assert.True(ours.Unused.allclose(reference.Unused, 0, 0), "a parameter without a gradient must be left alone, weight decay included");
    }

    [Fact]
    public void Keeps_training_when_the_gc_runs_between_and_during_steps()
    {
        using var net = new Net(11);
        using var optimizer = new AdamWOptimizer(net.parameters(), 0.02, 0.9, 0.98, weightDecay: 0.01);
        var x = randn([64, 5], generator: new Generator(5));
        var y = x.sum(1, keepdim: true);
        var first = 0f;
        var last = 0f;
        for (var step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var loss = nn.functional.mse_loss(net.forward(x), y);
            loss.backward();
            optimizer.Step();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            last = loss.item<float>();
            first = step == 0 ? last : first;
        }

        Assert.True(last < first / 20, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Rejects_bad_settings_and_use_after_dispose()
    {
        using var net = new Net(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer(net.parameters(), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer(net.parameters(), 0.1, beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer(net.parameters(), 0.1, weightDecay: -0.5));
        var optimizer = new AdamWOptimizer(net.parameters(), 0.1);
        optimizer.Dispose();
        Assert.Throws<ObjectDisposedException>(optimizer.Step);
    }

    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _hidden;
        private readonly nn.Module<Tensor, Tensor> _output;

        public Net(int seed) : base(nameof(Net))
        {
            manual_seed(seed);
            _hidden = nn.Linear(5, 8);
            _output = nn.Linear(8, 1);
            Unused = nn.Parameter(randn(3));
            RegisterComponents();
        }

        public TorchSharp.Modules.Parameter Unused { get; }

        public override Tensor forward(Tensor input) => _output.forward(nn.functional.relu(_hidden.forward(input))); // [B, 1]
    }
}
