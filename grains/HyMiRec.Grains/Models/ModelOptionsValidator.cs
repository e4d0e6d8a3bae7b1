using Microsoft.Extensions.Options;

namespace HyMiRec.Grains.Models;

/// <summary>The rule of <see cref="ModelOptions"/> that spans two keys: a silo needs one place to take its model from.</summary>
public sealed class ModelOptionsValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options) =>
        string.IsNullOrWhiteSpace(options.ArtifactDirectory) && string.IsNullOrWhiteSpace(options.StoreDirectory)
            ? ValidateOptionsResult.Fail($"{ModelOptions.Section}:{nameof(ModelOptions.StoreDirectory)} or {ModelOptions.Section}:{nameof(ModelOptions.ArtifactDirectory)} must be set.")
            : ValidateOptionsResult.Success;
}
