using System.Text;
using HyMiRec.Build;
using TorchSharp;

namespace HyMiRec.UnitTests.Build;

public sealed class TorchSharpNativeFixTests
{
    [Fact]
    public void Patcher_marks_only_the_named_version_weak_and_is_idempotent()
    {
        var elf = TinyElf.WithVersionNeeds("libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4.21");

        Assert.Equal(ElfVersionPatcher.Outcome.Patched, ElfVersionPatcher.MarkVersionWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(ElfVersionPatcher.VerFlagWeak, TinyElf.FlagsOf(elf, 0));
        Assert.Equal(0, TinyElf.FlagsOf(elf, 1));
        Assert.Equal(ElfVersionPatcher.Outcome.AlreadyWeak, ElfVersionPatcher.MarkVersionWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(ElfVersionPatcher.Outcome.NotReferenced, ElfVersionPatcher.MarkVersionWeak(elf, "GLIBCXX_9.9"));
    }

    [Fact]
    public void Patcher_rejects_non_elf_input()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MarkVersionWeak(Encoding.ASCII.GetBytes(new string('x', 80)), "V"));
    }

    [Fact]
    public void Output_copy_of_native_glue_is_patched_exactly_when_the_host_needs_it()
    {
        var hostHas = ElfVersionPatcher.HostLibStdCxxHas("GLIBCXX_3.4.32", ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6"]);
        var glue = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(glue), glue);
        var outcome = ElfVersionPatcher.MarkVersionWeak(File.ReadAllBytes(glue), "GLIBCXX_3.4.32");
        Assert.Equal(hostHas ? ElfVersionPatcher.Outcome.Patched : ElfVersionPatcher.Outcome.AlreadyWeak, outcome);
    }

    [Fact]
    public void Torch_loads_and_trains_a_linear_layer_on_this_host()
    {
        torch.manual_seed(1);
        using var scope = torch.NewDisposeScope();
        var layer = torch.nn.Linear(4, 1);
        var optimizer = torch.optim.Adam(layer.parameters(), 0.05);
        var x = torch.randn(64, 4);
        var y = x.sum(1, keepdim: true);
        var first = 0f;
        var last = 0f;
        for (var step = 0; step < 200; step++)
        {
            optimizer.zero_grad();
            var loss = torch.nn.functional.mse_loss(layer.forward(x), y);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
            {
                first = last;
            }
        }

        Assert.True(last < first / 10, $"loss {first} -> {last}");
    }
}
