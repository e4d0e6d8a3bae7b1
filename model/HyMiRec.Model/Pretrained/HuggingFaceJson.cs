using System.Text.Json;

namespace HyMiRec.Model.Pretrained;

internal static class HuggingFaceJson
{
    /// <summary>Hugging Face writes unset settings as null or leaves them out; both mean the default.</summary>
    public static JsonElement? Optional(this JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
