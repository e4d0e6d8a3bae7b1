using HyMiRec.Grains.Inference;
using HyMiRec.Interfaces;
using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyMiRec.Grains.Models;

/// <summary>
/// Loads the configured artifact into the <see cref="InterestModelHost"/> before the silo takes calls, then (once
/// the silo is active) polls the <see cref="IModelRegistryGrain"/> and switches to a newly published model.
/// </summary>
public sealed class ModelLifecycle : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly InterestModelHost _host;
    private readonly IGrainFactory _grains;
    private readonly ModelOptions _options;
    private readonly ILogger<ModelLifecycle> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _poll;

    public ModelLifecycle(InterestModelHost host, IGrainFactory grains, IOptions<ModelOptions> options, ILogger<ModelLifecycle> logger)
    {
        _host = host;
        _grains = grains;
        _options = options.Value;
        _logger = logger;
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(ModelLifecycle) + ".Load", ServiceLifecycleStage.RuntimeInitialize, LoadAsync, _ => Task.CompletedTask);
        lifecycle.Subscribe(nameof(ModelLifecycle) + ".Poll", ServiceLifecycleStage.Active, StartPolling, StopAsync);
    }

    /// <summary>Loads the artifact at <paramref name="directory"/> (off the caller's thread) and makes it current.</summary>
    public async Task SwitchAsync(string directory)
    {
        var model = await Task.Run(() => InterestModelStore.Load(directory)).ConfigureAwait(false);
        _host.Switch(model);
    }

    private async Task LoadAsync(CancellationToken cancellation)
    {
        var directory = _options.ArtifactDirectory;
        if (_options.CreateUntrainedIfMissing && !File.Exists(Path.Combine(directory, InterestModelStore.ManifestFile)))
        {
            await Task.Run(() => InterestModelStore.CreateUntrained(directory, SyntheticDataset.Generate(new SyntheticOptions()).Dataset, seed: 1), cancellation)
                .ConfigureAwait(false);
            GrainsLog.UntrainedModelCreated(_logger, directory);
        }

        var model = await Task.Run(() => InterestModelStore.Load(directory), cancellation).ConfigureAwait(false);
        _host.Start(model);
        GrainsLog.ModelLoaded(_logger, model.Manifest.ModelVersion, model.Manifest.CodebookVersion, model.Catalog.ItemCount, directory);
    }

    private Task StartPolling(CancellationToken cancellation)
    {
        if (_options.RegistryPollSeconds > 0)
        {
            _poll = Task.Run(() => PollAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.RegistryPollSeconds));
        try
        {
            do
            {
                await FollowRegistryAsync().ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Silo shutdown.
        }
    }

    private async Task FollowRegistryAsync()
    {
        ModelRegistration? registration;
        try
        {
            registration = await _grains.GetGrain<IModelRegistryGrain>(0).GetCurrentAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            GrainsLog.RegistryPollFailed(_logger, e);
            return;
        }

        if (registration is null || registration.ModelVersion == _host.Info.ModelVersion)
        {
            return;
        }

        try
        {
            await SwitchAsync(registration.ArtifactDirectory).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            GrainsLog.ModelSwitchFailed(_logger, e, registration.ModelVersion, registration.ArtifactDirectory);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task StopAsync(CancellationToken cancellation)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_poll is not null)
        {
            await _poll.ConfigureAwait(false);
        }
    }
}
