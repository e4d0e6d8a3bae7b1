using HyMiRec.Grains.Inference;
using HyMiRec.Grains.Models;
using HyMiRec.Interfaces;
using HyMiRec.Model.Serving;
using HyMiRec.IntegrationTests.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.IntegrationTests.Retraining;

/// <summary>A silo on a model store follows CURRENT and the registry, and skips versions it cannot load.</summary>
public sealed class ModelFollowingTests
{
    [Fact]
    public async Task Silo_serves_current_follows_the_pointer_and_keeps_serving_when_a_version_is_broken()
    {
        using var root = new TempDirectory();
        var store = new ModelStore(root.Path);
        var first = TestModel.Stage(store, seed: 21);
        store.SetCurrent(first.ModelVersion);
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string>
        {
            ["Model:StoreDirectory"] = root.Path,
            ["Model:ArtifactDirectory"] = "",
        });
        var host = silo.Services.GetRequiredService<InterestModelHost>();
        var lifecycle = silo.Services.GetRequiredService<ModelLifecycle>();
        Assert.Equal(first.ModelVersion, host.Info.ModelVersion);

        // A version whose weights were damaged after it was written: announced through the registry, it must be
        // refused and reported while the silo keeps answering with the model it has.
        var broken = TestModel.Stage(store, seed: 22);
        File.WriteAllText(Path.Combine(store.DirectoryOf(broken.ModelVersion), "network.bin"), "damaged");
        // Published after the silo's first look at the registry, which with a store only notes what is there.
        await lifecycle.FirstRegistryPoll.WaitAsync(TimeSpan.FromSeconds(60));
        var registry = silo.Client.GetGrain<IModelRegistryGrain>(0);
        await registry.PublishAsync(new ModelRegistration(broken.ModelVersion, store.DirectoryOf(broken.ModelVersion), DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => Task.FromResult(lifecycle.FailedVersions.Contains(broken.ModelVersion)), "the broken version is refused");
        Assert.Equal(first.ModelVersion, host.Info.ModelVersion);
        var clicks = silo.Client.GetGrain<IUserGrain>("follower");
        await clicks.AppendAsync([new ClickEvent("follower", TestModel.Dataset.ItemIds[1], DateTimeOffset.UtcNow, "click", null)]);
        Assert.Equal(first.ModelVersion, (await clicks.GetInterestsAsync())!.ModelVersion);

        // Moving CURRENT (what `trainer retrain` does) switches the silo without the registry.
        var second = TestModel.Stage(store, seed: 23);
        store.SetCurrent(second.ModelVersion);
        await Eventually.TrueAsync(() => Task.FromResult(host.Info.ModelVersion == second.ModelVersion), "the silo follows CURRENT");
    }
}
