using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Grains.Models;

/// <summary>Configuration section "Model": the artifact a silo loads at start and how it follows the registry.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>A model artifact directory (manifest.json + files), as `trainer train --out` writes it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ArtifactDirectory { get; set; } = "";

    /// <summary>
    /// Write a freshly initialised (untrained) model for a synthetic catalog when the directory holds no artifact:
    /// for development only, so a silo can run before a model is trained. Logged loudly.
    /// </summary>
    public bool CreateUntrainedIfMissing { get; set; }

    /// <summary>How often the silo asks the model registry for a newer version; 0 = never.</summary>
    [Range(0, 86_400)]
    public int RegistryPollSeconds { get; set; } = 10;
}
