using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace HyMiRec.Model.IO;

/// <summary>One tensor's entry in a safetensors header; offsets are relative to the end of the header.</summary>
public sealed record SafeTensorEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// A safetensors file (8-byte little-endian header length, a JSON header, then the raw data). Only the header is
/// read on open; each tensor is read on its own by seeking, because checkpoints can be many gigabytes.
/// </summary>
public sealed class SafeTensorsFile
{
    // The format's own reference reader refuses larger headers; a bigger number means a damaged or foreign file.
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private static readonly Dictionary<string, int> ElementBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1,
        ["U64"] = 8, ["U32"] = 4, ["U16"] = 2, ["U8"] = 1, ["BOOL"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
    };

    private readonly long _dataStart;

    private SafeTensorsFile(string path, long dataStart, IReadOnlyDictionary<string, SafeTensorEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SafeTensorEntry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and checks the header: every entry's offsets must lie in the data region and fit its shape.</summary>
    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: safetensors file not found", path);
        }

        using var stream = File.OpenRead(path);
        var length = stream.Length;
        if (length < 8)
        {
            throw new InvalidDataException($"{path}: truncated safetensors file ({length} bytes, the header length alone takes 8)");
        }

        var prefix = new byte[8];
        stream.ReadExactly(prefix);
        var headerBytes = BitConverter.ToUInt64(prefix);
        if (headerBytes > (ulong)(length - 8) || (long)headerBytes > MaxHeaderBytes)
        {
            throw new InvalidDataException($"{path}: header length {headerBytes} runs past the end of the file ({length} bytes): truncated or not a safetensors file");
        }

        var header = new byte[headerBytes];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerBytes;
        var (entries, metadata) = ParseHeader(path, header, length - dataStart);
        return new SafeTensorsFile(path, dataStart, entries, metadata);
    }

    /// <summary>The tensor as float32 on the CPU (F32 as is; F16 and BF16 widened exactly).</summary>
    public Tensor ReadFloat32(string name)
    {
        if (!Entries.TryGetValue(name, out var entry))
        {
            throw new InvalidDataException($"{Path}: no tensor '{name}'");
        }

        var dtype = entry.DType switch
        {
            "F32" => ScalarType.Float32,
            "F16" => ScalarType.Float16,
            "BF16" => ScalarType.BFloat16,
            _ => throw new InvalidDataException($"{Path}: tensor '{name}' has dtype {entry.DType}; supported are F32, F16 and BF16"),
        };
        var count = entry.End - entry.Begin;
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"{Path}: tensor '{name}' takes {count} bytes, more than one read can hold");
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; this reader needs a little-endian host");
        }

        var bytes = new byte[count];
        using (var stream = File.OpenRead(Path))
        {
            stream.Seek(_dataStart + entry.Begin, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }

        using var raw = empty(entry.Shape, dtype);
        raw.bytes = bytes;
        return dtype == ScalarType.Float32 ? raw.clone() : raw.to_type(ScalarType.Float32);
    }

    private static (Dictionary<string, SafeTensorEntry>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataBytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetString(header).TrimEnd(' ', '\0'));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: safetensors header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: safetensors header is not a JSON object");
            }

            var entries = new Dictionary<string, SafeTensorEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.ToString();
                    }

                    continue;
                }

                entries[property.Name] = ParseEntry(path, property.Name, property.Value, dataBytes);
            }

            return (entries, metadata);
        }
    }

    private static SafeTensorEntry ParseEntry(string path, string name, JsonElement value, long dataBytes)
    {
        try
        {
            var dtype = value.GetProperty("dtype").GetString() ?? throw new InvalidDataException("dtype is null");
            var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || shape.Any(d => d < 0))
            {
                throw new InvalidDataException("data_offsets must be [begin, end] and shape non-negative");
            }

            var (begin, end) = (offsets[0], offsets[1]);
            if (begin < 0 || end < begin || end > dataBytes)
            {
                throw new InvalidDataException($"data_offsets [{begin}, {end}] lie outside the data region of {dataBytes} bytes (truncated file?)");
            }

            if (ElementBytes.TryGetValue(dtype, out var size))
            {
                var expected = shape.Aggregate(1L, (a, d) => checked(a * d)) * size;
                if (end - begin != expected)
                {
                    throw new InvalidDataException($"data_offsets span {end - begin} bytes, shape [{string.Join(", ", shape)}] of {dtype} needs {expected}");
                }
            }

            return new SafeTensorEntry(name, dtype, shape, begin, end);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: tensor '{name}': {e.Message}", e);
        }
    }
}
