using System.Text.Json;
using static TorchSharp.torch;

namespace HyMiRec.Model.IO;

/// <summary>
/// The weights of a Hugging Face checkpoint directory: one model.safetensors, or shards listed by
/// model.safetensors.index.json ({"weight_map": {tensor: file}}). Shard headers are read once; data on demand.
/// </summary>
public sealed class SafeTensorsCheckpoint
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    private readonly Dictionary<string, SafeTensorsFile> _byTensor;

    private SafeTensorsCheckpoint(string directory, Dictionary<string, SafeTensorsFile> byTensor, IReadOnlyList<string> files)
    {
        Directory = directory;
        _byTensor = byTensor;
        Files = files;
    }

    public string Directory { get; }

    /// <summary>Full paths of the weight files, sorted.</summary>
    public IReadOnlyList<string> Files { get; }

    public IReadOnlyCollection<string> Names => _byTensor.Keys;

    public static SafeTensorsCheckpoint Open(string directory)
    {
        var index = Path.Combine(directory, IndexFile);
        var single = Path.Combine(directory, SingleFile);
        if (File.Exists(index))
        {
            return OpenSharded(directory, index);
        }

        if (!File.Exists(single))
        {
            throw new FileNotFoundException($"{directory}: no weights: neither {SingleFile} nor {IndexFile} exists", single);
        }

        var file = SafeTensorsFile.Open(single);
        return new SafeTensorsCheckpoint(directory, file.Entries.Keys.ToDictionary(n => n, _ => file, StringComparer.Ordinal), [single]);
    }

    public bool Contains(string name) => _byTensor.ContainsKey(name);

    public SafeTensorEntry Entry(string name) => _byTensor.TryGetValue(name, out var file) ? file.Entries[name]
        : throw new InvalidDataException($"{Directory}: the checkpoint has no tensor '{name}'");

    /// <summary>The named tensor as float32 (see <see cref="SafeTensorsFile.ReadFloat32"/>).</summary>
    public Tensor ReadFloat32(string name) => _byTensor.TryGetValue(name, out var file) ? file.ReadFloat32(name)
        : throw new InvalidDataException($"{Directory}: the checkpoint has no tensor '{name}'");

    private static SafeTensorsCheckpoint OpenSharded(string directory, string index)
    {
        Dictionary<string, string> map;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            map = document.RootElement.GetProperty("weight_map").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{index}: not a safetensors index (needs a \"weight_map\" object of tensor name to file): {e.Message}", e);
        }

        var shards = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        foreach (var name in map.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (name.Length == 0 || Path.GetFileName(name) != name)
            {
                throw new InvalidDataException($"{index}: weight file '{name}' must be a plain file name in the checkpoint directory");
            }

            shards[name] = SafeTensorsFile.Open(Path.Combine(directory, name));
        }

        var byTensor = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        foreach (var (tensor, name) in map)
        {
            var shard = shards[name];
            byTensor[tensor] = shard.Entries.ContainsKey(tensor) ? shard
                : throw new InvalidDataException($"{index}: maps tensor '{tensor}' to {name}, which has no such tensor");
        }

        return new SafeTensorsCheckpoint(directory, byTensor, [.. shards.Values.Select(s => s.Path)]);
    }
}
