using System.Net;
using Microsoft.Extensions.Options;

namespace HyMiRec.Hosting;

/// <summary>The rules of <see cref="HyMiRecClusterOptions"/> that its annotations cannot say.</summary>
public sealed class ClusterOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<HyMiRecClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, HyMiRecClusterOptions options)
    {
        var errors = new List<string>();
        if (options.Mode != ClusterMode.Localhost && string.IsNullOrWhiteSpace(storage.Value.ConnectionString))
        {
            errors.Add($"{HyMiRecClusterOptions.Section}:{nameof(HyMiRecClusterOptions.Mode)} {options.Mode} needs {StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)} (membership lives in PostgreSQL).");
        }

        if (options.AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
        {
            errors.Add($"{HyMiRecClusterOptions.Section}:{nameof(HyMiRecClusterOptions.AdvertisedAddress)} must be an IP address (is '{address}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
