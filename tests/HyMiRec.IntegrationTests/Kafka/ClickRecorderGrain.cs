using HyMiRec.Interfaces;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HyMiRec.IntegrationTests.Kafka;

public interface IClickRecorderGrain : IGrainWithStringKey
{
    Task<int> CountApplied();

    /// <summary>Publishes through the Orleans stream provider (the adapter's producing side).</summary>
    Task Publish(ClickEvent click);
}

/// <summary>Test-only stand-in for the user grain: implicitly subscribed to a user's click stream, records clicks.</summary>
[ImplicitStreamSubscription(StreamNames.ClickNamespace)]
public sealed class ClickRecorderGrain : Grain, IClickRecorderGrain, IStreamSubscriptionObserver, IAsyncObserver<ClickEvent>
{
    public Task<int> CountApplied() => Task.FromResult(ClickLedger.Items(this.GetPrimaryKeyString()).Count);

    public Task Publish(ClickEvent click) =>
        this.GetStreamProvider(StreamNames.ClickProvider)
            .GetStream<ClickEvent>(StreamId.Create(StreamNames.ClickNamespace, click.UserId))
            .OnNextAsync(click);

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<ClickEvent>().ResumeAsync(this);

    public Task OnNextAsync(ClickEvent item, StreamSequenceToken? token = null)
    {
        if (item.UserId != this.GetPrimaryKeyString())
        {
            throw new InvalidOperationException($"Grain {this.GetPrimaryKeyString()} got a click of user {item.UserId}.");
        }

        ClickLedger.For(item.UserId).Apply(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
