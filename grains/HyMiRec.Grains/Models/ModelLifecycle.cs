using HyMiRec.Grains.Inference;
using HyMiRec.Interfaces;
using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyMiRec.Grains.Models;

/// <summary>
/// Loads the configured model (the store's CURRENT version, or a fixed artifact directory) into the
/// <see cref="InterestModelHost"/> before the silo takes calls. Once the silo is active it polls the
/// <see cref="IModelRegistryGrain"/> and the store's CURRENT pointer and switches when either names a new version.
/// Each source counts only when it changes, so a rollback of CURRENT is not undone by an older registration.
/// A version that fails to load is reported once and skipped; the silo keeps serving what it has.
/// </summary>
public sealed class ModelLifecycle : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly InterestModelHost _host;
    private readonly IGrainFactory _grains;
    private readonly ModelOptions _options;
    private readonly ILogger<ModelLifecycle> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ModelStore? _store;
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private string? _lastRegistered;
    private bool _registryPolled;
    private readonly TaskCompletionSource _firstPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _lastCurrent;
    private Task? _poll;

    public ModelLifecycle(InterestModelHost host, IGrainFactory grains, IOptions<ModelOptions> options, ILogger<ModelLifecycle> logger)
    {
        _host = host;
        _grains = grains;
        _options = options.Value;
        _logger = logger;
        _store = string.IsNullOrWhiteSpace(_options.StoreDirectory) ? null : new ModelStore(_options.StoreDirectory);
    }

    /// <summary>
    /// Completes after the first registry read that succeeded. With a model store that read only notes the registry's
    /// version (the store's CURRENT decides at start), so a publication is followed only if it comes after it.
    /// </summary>
    public Task FirstRegistryPoll => _firstPoll.Task;

    /// <summary>Versions this silo tried to switch to and could not load (it kept serving the one it had).</summary>
    public IReadOnlyCollection<string> FailedVersions
    {
        get
        {
            lock (_failed)
            {
                return [.. _failed];
            }
        }
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(ModelLifecycle) + ".Load", ServiceLifecycleStage.RuntimeInitialize, LoadAsync, _ => Task.CompletedTask);
        lifecycle.Subscribe(nameof(ModelLifecycle) + ".Poll", ServiceLifecycleStage.Active, StartPolling, StopAsync);
    }

    /// <summary>Loads the artifact at <paramref name="directory"/> (off the caller's thread) and makes it current.</summary>
    public async Task SwitchAsync(string directory)
    {
        var model = await Task.Run(() => InterestModelStore.Load(directory, _host.HistoryCacheBytes)).ConfigureAwait(false);
        _host.Switch(model);
    }

    private async Task LoadAsync(CancellationToken cancellation)
    {
        var directory = _store is null ? await FixedArtifactAsync(cancellation).ConfigureAwait(false)
            : await StoreArtifactAsync(_store, cancellation).ConfigureAwait(false);
        var model = await Task.Run(() => InterestModelStore.Load(directory, _host.HistoryCacheBytes), cancellation).ConfigureAwait(false);
        _host.Start(model);
        _lastCurrent = model.Manifest.ModelVersion;
        GrainsLog.ModelLoaded(_logger, model.Manifest.ModelVersion, model.Manifest.CodebookVersion, model.Catalog.ItemCount, directory);
    }

    private async Task<string> FixedArtifactAsync(CancellationToken cancellation)
    {
        var directory = _options.ArtifactDirectory;
        if (_options.CreateUntrainedIfMissing && !File.Exists(Path.Combine(directory, InterestModelStore.ManifestFile)))
        {
            await Task.Run(() => CreateUntrained(directory), cancellation).ConfigureAwait(false);
            GrainsLog.UntrainedModelCreated(_logger, directory);
        }

        return directory;
    }

    private async Task<string> StoreArtifactAsync(ModelStore store, CancellationToken cancellation)
    {
        var version = store.CurrentVersion();
        if (version is null && _options.CreateUntrainedIfMissing)
        {
            version = await Task.Run(() =>
            {
                var staging = store.CreateStaging();
                CreateUntrained(staging);
                var manifest = store.AddVersion(staging);
                store.SetCurrent(manifest.ModelVersion);
                return manifest.ModelVersion;
            }, cancellation).ConfigureAwait(false);
            GrainsLog.UntrainedModelCreated(_logger, store.DirectoryOf(version));
        }

        return version is null
            ? throw new InvalidOperationException($"the model store {store.Root} has no current version: publish one with `trainer retrain --store {store.Root}` " +
                "(or set Model:CreateUntrainedIfMissing for development)")
            : store.DirectoryOf(version);
    }

    private static void CreateUntrained(string directory) =>
        InterestModelStore.CreateUntrained(directory, SyntheticDataset.Generate(new SyntheticOptions()).Dataset, seed: 1);

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
        var target = await RegisteredChangeAsync().ConfigureAwait(false);
        if (_store is not null)
        {
            try
            {
                var current = _store.CurrentVersion();
                if (current is not null && current != _lastCurrent)
                {
                    _lastCurrent = current;
                    target = (current, _store.DirectoryOf(current));
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                GrainsLog.RegistryPollFailed(_logger, e);
            }
        }

        bool failedBefore;
        lock (_failed)
        {
            failedBefore = target is { } t && _failed.Contains(t.Version);
        }

        if (target is not { } next || next.Version == _host.Info.ModelVersion || failedBefore)
        {
            return;
        }

        try
        {
            await SwitchAsync(next.Directory).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            lock (_failed)
            {
                _failed.Add(next.Version);
            }

            GrainsLog.ModelSwitchFailed(_logger, e, next.Version, next.Directory);
        }
    }

    /// <summary>The registry's version when it changed since the last poll (with a store, what the first poll finds is only noted).</summary>
    private async Task<(string Version, string Directory)?> RegisteredChangeAsync()
    {
        ModelRegistration? registration;
        try
        {
            registration = await _grains.GetGrain<IModelRegistryGrain>(0).GetCurrentAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            GrainsLog.RegistryPollFailed(_logger, e);
            return null;
        }

        var firstPoll = !_registryPolled;
        _registryPolled = true;
        _firstPoll.TrySetResult();
        if (registration is null || registration.ModelVersion == _lastRegistered)
        {
            return null;
        }

        _lastRegistered = registration.ModelVersion;
        return firstPoll && _store is not null ? null : (registration.ModelVersion, registration.ArtifactDirectory);
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
