using Microsoft.Extensions.Options;

namespace HyMiRec.Silo.Hosting;

/// <summary>Auth settings are checked at start, except in Development where authentication is off.</summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
