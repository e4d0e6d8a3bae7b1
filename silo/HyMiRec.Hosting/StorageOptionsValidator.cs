using Microsoft.Extensions.Options;
using Npgsql;

namespace HyMiRec.Hosting;

/// <summary>A malformed connection string stops the silo at start naming the key, not at the first query.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            // Npgsql's message names the keyword or position, never the value (it may hold the password).
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)} is not a valid PostgreSQL connection string: {e.Message}");
        }
    }
}
