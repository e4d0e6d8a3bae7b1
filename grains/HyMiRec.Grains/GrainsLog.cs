using Microsoft.Extensions.Logging;

namespace HyMiRec.Grains;

internal static partial class GrainsLog
{
    [LoggerMessage(1, LogLevel.Information, "Loaded model {ModelVersion} (codebook {CodebookVersion}, {Items} items) from {Directory}")]
    public static partial void ModelLoaded(ILogger logger, string modelVersion, string codebookVersion, int items, string directory);

    [LoggerMessage(2, LogLevel.Warning, "No model artifact in {Directory}: wrote an UNTRAINED model for a synthetic catalog (Model:CreateUntrainedIfMissing); recommendations are not meaningful")]
    public static partial void UntrainedModelCreated(ILogger logger, string directory);

    [LoggerMessage(3, LogLevel.Information, "Switched from model {OldVersion} to {NewVersion}")]
    public static partial void ModelSwitched(ILogger logger, string oldVersion, string newVersion);

    [LoggerMessage(4, LogLevel.Error, "Could not switch to model {ModelVersion} at {Directory}; keeping the current one")]
    public static partial void ModelSwitchFailed(ILogger logger, Exception error, string modelVersion, string directory);

    [LoggerMessage(5, LogLevel.Error, "Batched forward pass of {Count} requests failed")]
    public static partial void BatchFailed(ILogger logger, Exception error, int count);

    [LoggerMessage(6, LogLevel.Warning, "Model registry poll failed")]
    public static partial void RegistryPollFailed(ILogger logger, Exception error);

    [LoggerMessage(7, LogLevel.Warning, "User {UserId}: skipped an invalid click from the stream: {Reason}")]
    public static partial void InvalidStreamEvent(ILogger logger, string userId, string reason);

    [LoggerMessage(8, LogLevel.Information, "User {UserId}: codebook changed from {OldVersion} to {NewVersion}; re-encoded {Events} events from item ids")]
    public static partial void Reencoded(ILogger logger, string userId, string? oldVersion, string newVersion, int events);

    [LoggerMessage(9, LogLevel.Error, "User {UserId}: scheduled interest recompute failed")]
    public static partial void RecomputeFailed(ILogger logger, Exception error, string userId);

    [LoggerMessage(10, LogLevel.Warning, "User {UserId}: click stream error")]
    public static partial void StreamError(ILogger logger, Exception error, string userId);

    [LoggerMessage(11, LogLevel.Information, "User {UserId}: deleted with every stored event")]
    public static partial void UserDeleted(ILogger logger, string userId);

    [LoggerMessage(12, LogLevel.Warning, "User {UserId}: journal compaction failed; retried after the next append")]
    public static partial void CompactionFailed(ILogger logger, Exception error, string userId);

    [LoggerMessage(13, LogLevel.Error, "User {UserId}: refused click on {ItemId} for good ({Reason}); no dead-letter topic without Kafka")]
    public static partial void ClickRefused(ILogger logger, string userId, string itemId, string reason);

    [LoggerMessage(14, LogLevel.Warning, "User {UserId}: the click log took {Delivered} of {Count} new HTTP clicks: {Failure}")]
    public static partial void IntakeLogFailed(ILogger logger, string userId, int delivered, int count, string failure);

    [LoggerMessage(15, LogLevel.Warning, "User {UserId}: could not store the intake's duplicate window; it holds in memory until this activation ends")]
    public static partial void IntakeWindowNotStored(ILogger logger, Exception error, string userId);

    [LoggerMessage(16, LogLevel.Warning, "User {UserId}: could not store the interest snapshot; the next activation recomputes before its first read")]
    public static partial void SnapshotNotStored(ILogger logger, Exception error, string userId);

    [LoggerMessage(17, LogLevel.Warning, "User {UserId}: could not read the interest snapshot; recomputing instead")]
    public static partial void SnapshotNotRead(ILogger logger, Exception error, string userId);
}
