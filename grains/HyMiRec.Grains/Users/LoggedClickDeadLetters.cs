using HyMiRec.Events;
using HyMiRec.Interfaces;
using Microsoft.Extensions.Logging;

namespace HyMiRec.Grains.Users;

/// <summary>A silo without Kafka has no dead-letter topic: refused clicks (from the in-process stream) are logged as errors.</summary>
public sealed class LoggedClickDeadLetters(ILogger<LoggedClickDeadLetters> logger) : IClickDeadLetters
{
    public Task RefuseAsync(ClickEvent click, string reason, CancellationToken cancellation = default)
    {
        GrainsLog.ClickRefused(logger, click.UserId, click.ItemId, reason);
        return Task.CompletedTask;
    }
}
