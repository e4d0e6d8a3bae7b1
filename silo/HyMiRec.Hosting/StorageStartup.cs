using Microsoft.Extensions.Options;

namespace HyMiRec.Hosting;

/// <summary>Runs before every other silo stage: applies the schema (or says loudly that storage is in memory).</summary>
internal sealed class StorageStartup(IOptions<StorageOptions> options, ILogger<StorageStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StorageStartup), ServiceLifecycleStage.First, StartAsync);

    private async Task StartAsync(CancellationToken cancellation)
    {
        var storage = options.Value;
        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            SiloLog.InMemoryStorage(logger);
        }
        else if (storage.ApplySchema)
        {
            await PostgresSchema.ApplyAsync(storage.ConnectionString, cancellation).ConfigureAwait(false);
            SiloLog.SchemaApplied(logger, PostgresSchema.Scripts().Count);
        }
        else
        {
            SiloLog.SchemaNotApplied(logger);
        }
    }
}
