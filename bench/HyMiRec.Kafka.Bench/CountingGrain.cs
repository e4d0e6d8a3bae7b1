using HyMiRec.Events;
using HyMiRec.Interfaces;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HyMiRec.Kafka.Bench;

public interface ICountingGrain : IGrainWithStringKey
{
}

/// <summary>Minimal user-grain stand-in: applies clicks with the user grain's offset check and counts them.</summary>
[ImplicitStreamSubscription(StreamNames.ClickNamespace)]
public sealed class CountingGrain : Grain, ICountingGrain, IStreamSubscriptionObserver, IAsyncObserver<ClickEvent>
{
    private static long _applied;
    private readonly Dictionary<int, long> _lastOffsets = [];

    public static long Applied => Interlocked.Read(ref _applied);

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<ClickEvent>().ResumeAsync(this);

    public Task OnNextAsync(ClickEvent item, StreamSequenceToken? token = null)
    {
        if (item.Source is { } source)
        {
            if (_lastOffsets.TryGetValue(source.Partition, out var last) && source.Offset <= last)
            {
                return Task.CompletedTask;
            }

            _lastOffsets[source.Partition] = source.Offset;
        }

        Interlocked.Increment(ref _applied);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
