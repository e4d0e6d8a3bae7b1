using System.Text.Json;

namespace HyMiRec.Client.Commands;

internal static class Output
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
