using System.Text.Json;

namespace HyMiRec.Model.Pretrained;

/// <summary>
/// A checkpoint's <c>rope_scaling</c>: how it stretches rotary frequencies for long contexts. LLaMA 3.1 and 3.2
/// ship "llama3" scaling; leaving it out would rotate every position differently from training and give wrong
/// features without any error, so each supported kind is applied and every other kind is refused.
/// </summary>
public sealed record RopeScaling(string Kind, double Factor, double LowFrequencyFactor, double HighFrequencyFactor, int OriginalMaxPositions)
{
    public const string Linear = "linear";
    public const string Llama3 = "llama3";

    /// <summary>theta^(-2i/Dh) for i in [0, Dh/2), with this scaling applied when there is one.</summary>
    public static double[] InverseFrequencies(int headDimension, double theta, RopeScaling? scaling)
    {
        var half = headDimension / 2;
        var frequencies = new double[half];
        for (var i = 0; i < half; i++)
        {
            var frequency = Math.Pow(theta, -2.0 * i / headDimension);
            frequencies[i] = scaling is null ? frequency : scaling.Scale(frequency);
        }

        return frequencies;
    }

    /// <summary>null for absent, null or "default" scaling.</summary>
    internal static RopeScaling? Parse(string path, JsonElement? element)
    {
        if (element is not { } scaling || scaling.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // Older configs name the kind "type", newer ones "rope_type".
        var kind = (scaling.Optional("rope_type") ?? scaling.Optional("type"))?.GetString() ?? "default";
        double Number(string key) => scaling.Optional(key)?.GetDouble()
            ?? throw new InvalidDataException($"{path}: rope_scaling of type '{kind}' lacks '{key}'");
        var parsed = kind switch
        {
            "default" => null,
            Linear => new RopeScaling(kind, Number("factor"), 0, 0, 0),
            Llama3 => new RopeScaling(kind, Number("factor"), Number("low_freq_factor"), Number("high_freq_factor"),
                (int)Number("original_max_position_embeddings")),
            _ => throw new InvalidDataException($"{path}: rope_scaling {scaling.GetRawText()} is not supported " +
                $"(supported: '{Linear}' and '{Llama3}')"),
        };
        parsed?.Validate(path);
        return parsed;
    }

    private double Scale(double frequency)
    {
        if (Kind == Linear)
        {
            return frequency / Factor;
        }

        // LLaMA 3: long wavelengths (low frequencies) are slowed by the factor, short ones kept, and the band
        // between the two wavelength bounds blends the two linearly in context length / wavelength.
        var wavelength = 2 * Math.PI / frequency;
        var longest = OriginalMaxPositions / LowFrequencyFactor;
        var shortest = OriginalMaxPositions / HighFrequencyFactor;
        if (wavelength > longest)
        {
            return frequency / Factor;
        }

        if (wavelength < shortest)
        {
            return frequency;
        }

        var blend = ((OriginalMaxPositions / wavelength) - LowFrequencyFactor) / (HighFrequencyFactor - LowFrequencyFactor);
        return ((1 - blend) * frequency / Factor) + (blend * frequency);
    }

    private void Validate(string path)
    {
        if (Factor <= 0 || (Kind == Llama3 && (OriginalMaxPositions <= 0 || LowFrequencyFactor <= 0 || HighFrequencyFactor <= LowFrequencyFactor)))
        {
            throw new InvalidDataException($"{path}: rope_scaling needs factor > 0, and for '{Llama3}' original_max_position_embeddings > 0 " +
                $"and 0 < low_freq_factor < high_freq_factor (got {this})");
        }
    }
}
