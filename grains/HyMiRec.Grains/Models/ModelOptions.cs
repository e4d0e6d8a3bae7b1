using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Grains.Models;

/// <summary>
/// Configuration section "Model": where a silo's model comes from (a model store with a CURRENT pointer, or one fixed
/// artifact directory) and how it follows newly published versions.
/// </summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>A model artifact directory (manifest.json + files), as `trainer train --out` writes it.</summary>
    public string ArtifactDirectory { get; set; } = "";

    /// <summary>
    /// A model store as `trainer retrain --store` writes it (versions/ + CURRENT). When set, the silo serves the
    /// version CURRENT names and switches when CURRENT moves; <see cref="ArtifactDirectory"/> is then not used.
    /// </summary>
    public string StoreDirectory { get; set; } = "";

    /// <summary>
    /// Write a freshly initialised (untrained) model for a synthetic catalog when there is no model yet:
    /// for development only, so a silo can run before a model is trained. Logged loudly.
    /// </summary>
    public bool CreateUntrainedIfMissing { get; set; }

    /// <summary>How often the silo asks the model registry (and the store's CURRENT) for a newer version; 0 = never.</summary>
    [Range(0, 86_400)]
    [Display(Name = Section + ":" + nameof(RegistryPollSeconds))]
    public int RegistryPollSeconds { get; set; } = 10;
}
