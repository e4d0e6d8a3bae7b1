using HyMiRec.Grains.Inference;

namespace HyMiRec.UnitTests.Serving;

public sealed class InferenceQueueTests
{
    [Fact]
    public void Urgent_requests_are_taken_first_and_each_lane_keeps_its_order()
    {
        using var queue = new InferenceQueue<string>();
        Assert.True(queue.TryAdd("ingest-1", urgent: false));
        Assert.True(queue.TryAdd("read-1", urgent: true));
        Assert.True(queue.TryAdd("ingest-2", urgent: false));
        Assert.True(queue.TryAdd("read-2", urgent: true));
        Assert.Equal(4, queue.Count);

        var taken = new List<string>();
        while (queue.TryTake(out var item))
        {
            taken.Add(item);
        }

        Assert.Equal(["read-1", "read-2", "ingest-1", "ingest-2"], taken);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Only_an_add_with_a_bound_is_refused_and_a_refusal_queues_nothing()
    {
        using var queue = new InferenceQueue<int>();
        Assert.True(queue.TryAdd(1, urgent: true, refuseAbove: 2));
        Assert.True(queue.TryAdd(2, urgent: false));
        Assert.False(queue.TryAdd(3, urgent: true, refuseAbove: 2));
        Assert.True(queue.TryAdd(4, urgent: false));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public async Task A_waiting_reader_wakes_on_an_add_and_times_out_without_one()
    {
        using var queue = new InferenceQueue<int>();
        Assert.False(queue.WaitForItems(TimeSpan.FromMilliseconds(20), CancellationToken.None));

        var reader = Task.Factory.StartNew(() => queue.WaitForItems(TimeSpan.FromMinutes(1), CancellationToken.None), TaskCreationOptions.LongRunning);
        queue.TryAdd(7, urgent: false);
        Assert.True(await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(queue.TryTake(out var item));
        Assert.Equal(7, item);
    }

    [Fact]
    public async Task Closing_wakes_the_reader_refuses_new_requests_and_hands_back_the_queued_ones()
    {
        using var queue = new InferenceQueue<int>();
        queue.TryAdd(1, urgent: false);
        Assert.True(queue.TryTake(out _));
        var reader = Task.Factory.StartNew(() => queue.WaitForItems(TimeSpan.FromMinutes(1), CancellationToken.None), TaskCreationOptions.LongRunning);
        queue.TryAdd(2, urgent: true);
        queue.TryAdd(3, urgent: false);

        Assert.Equal([2, 3], queue.Close());
        Assert.False(queue.TryAdd(4, urgent: true));
        Assert.True(queue.IsClosed);
        _ = await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(queue.WaitForItems(TimeSpan.FromMinutes(1), CancellationToken.None));
    }
}
