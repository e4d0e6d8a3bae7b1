using Microsoft.Extensions.Options;

namespace HyMiRec.Hosting;

/// <summary>The rules of <see cref="TelemetryOptions"/>: each holds only when its exporter is on, which annotations cannot say.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        if (options.PrometheusEnabled && (string.IsNullOrWhiteSpace(options.PrometheusPath) || !options.PrometheusPath.StartsWith('/')))
        {
            errors.Add($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.PrometheusPath)} must start with '/' (is '{options.PrometheusPath}').");
        }

        if (options.OtlpEndpoint.Length > 0 && !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out _))
        {
            errors.Add($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.OtlpEndpoint)} must be an absolute URI (is '{options.OtlpEndpoint}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
