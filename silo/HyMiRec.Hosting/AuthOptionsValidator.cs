using Microsoft.Extensions.Options;

namespace HyMiRec.Hosting;

/// <summary>
/// Auth settings are checked at start, except in Development where authentication is off: that condition is why
/// these rules live here rather than as annotations on <see cref="AuthOptions"/>.
/// </summary>
public sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = Problems(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with the options, one line each and naming the key; empty when valid.</summary>
    public static IReadOnlyList<string> Problems(AuthOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add("Auth:Issuer must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add("Auth:Audience must not be empty.");
        }

        if (KeyProblem(options.SigningKey, required: true) is { } signing)
        {
            errors.Add("Auth:SigningKey " + signing);
        }

        if (KeyProblem(options.PreviousSigningKey, required: false) is { } previous)
        {
            errors.Add("Auth:PreviousSigningKey " + previous);
        }

        return errors;
    }

    private static string? KeyProblem(string key, bool required)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return required ? $"is missing: set a base64 key of at least {AuthOptions.MinimumKeyBytes * 8} bits ({AuthOptions.MinimumKeyBytes} bytes), e.g. `openssl rand -base64 32`." : null;
        }

        var bytes = new byte[key.Length];
        if (!Convert.TryFromBase64String(key, bytes, out var length))
        {
            return "is not valid base64.";
        }

        return length < AuthOptions.MinimumKeyBytes ? $"is too short: {length * 8} bits; at least {AuthOptions.MinimumKeyBytes * 8} bits ({AuthOptions.MinimumKeyBytes} bytes) are needed." : null;
    }
}
