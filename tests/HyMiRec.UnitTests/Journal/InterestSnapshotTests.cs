using HyMiRec.Grains.Journal;
using HyMiRec.Interfaces;

namespace HyMiRec.UnitTests.Journal;

public sealed class InterestSnapshotTests
{
    private static InterestSnapshot Snapshot(string model, long seen) =>
        new(new InterestsResult(model, "cb", 2, [1f, 2f], [3f, 4f]), seen, DateTimeOffset.UnixEpoch.AddSeconds(seen));

    [Fact]
    public void A_snapshot_supersedes_one_of_fewer_events_or_of_another_model_only()
    {
        Assert.True(Snapshot("m", 5).Supersedes(null));
        Assert.True(Snapshot("m", 5).Supersedes(Snapshot("m", 4)));
        Assert.True(Snapshot("m", 5).Supersedes(Snapshot("m", 5)));
        Assert.False(Snapshot("m", 4).Supersedes(Snapshot("m", 5)));
        Assert.True(Snapshot("new", 1).Supersedes(Snapshot("old", 50)));
    }

    [Fact]
    public void An_activation_serves_only_snapshots_of_its_model_over_events_it_still_has()
    {
        Assert.Equal(SnapshotFit.Current, Snapshot("m", 5).FitFor(5, "m"));
        Assert.Equal(SnapshotFit.Behind, Snapshot("m", 5).FitFor(8, "m"));
        Assert.Equal(SnapshotFit.Unusable, Snapshot("m", 5).FitFor(4, "m"));
        Assert.Equal(SnapshotFit.Unusable, Snapshot("old", 5).FitFor(5, "m"));
        Assert.Equal(SnapshotFit.Unusable, Snapshot("m", 0).FitFor(0, "m"));
    }

    [Fact]
    public void Vectors_pack_to_whole_floats_and_back_exactly()
    {
        float[] values = [0f, -0f, 1.5f, float.Epsilon, -3.25e7f, float.NaN];
        var bytes = InterestSnapshot.Pack(values);
        Assert.Equal(values.Length * sizeof(float), bytes.Length);
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), InterestSnapshot.Unpack(bytes).Select(BitConverter.SingleToInt32Bits));
        Assert.Throws<InvalidDataException>(() => InterestSnapshot.Unpack([1, 2, 3]));
    }

    [Fact]
    public async Task The_memory_store_keeps_the_newest_per_user_and_forgets_on_delete()
    {
        var store = new MemoryInterestSnapshots();
        await store.WriteAsync("u", Snapshot("m", 7));
        await store.WriteAsync("u", Snapshot("m", 6));
        await store.WriteAsync("v", Snapshot("m", 1));
        Assert.Equal(7, (await store.ReadAsync("u"))!.EventsSeen);

        await store.DeleteAsync("u");
        Assert.Null(await store.ReadAsync("u"));
        Assert.Equal(1, (await store.ReadAsync("v"))!.EventsSeen);
    }
}
