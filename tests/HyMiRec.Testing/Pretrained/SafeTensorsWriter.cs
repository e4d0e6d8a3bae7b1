using System.Text;
using System.Text.Json;

namespace HyMiRec.Testing.Pretrained;

/// <summary>One tensor to write: float values stored as F32, F16 or BF16.</summary>
public sealed record TensorToWrite(string Name, string DType, long[] Shape, float[] Values)
{
    /// <summary>The values as the file holds them (rounded to the dtype), widened back to float.</summary>
    public float[] Stored => [.. Values.Select(v => SafeTensorsWriter.Round(v, DType))];
}

/// <summary>Writes safetensors files the way the Hugging Face library lays them out, for tests.</summary>
public static class SafeTensorsWriter
{
    public static void Write(string path, IReadOnlyList<TensorToWrite> tensors)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        var data = new MemoryStream();
        foreach (var tensor in tensors)
        {
            var begin = data.Length;
            data.Write(Encode(tensor));
            header[tensor.Name] = new { dtype = tensor.DType, shape = tensor.Shape, data_offsets = new[] { begin, data.Length } };
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        data.Position = 0;
        data.CopyTo(file);
    }

    public static float Round(float value, string dtype) => dtype switch
    {
        "F32" => value,
        "F16" => (float)(Half)value,
        "BF16" => BitConverter.Int32BitsToSingle(BFloat16Bits(value) << 16),
        _ => throw new ArgumentException($"dtype {dtype}", nameof(dtype)),
    };

    private static byte[] Encode(TensorToWrite tensor)
    {
        using var bytes = new MemoryStream();
        foreach (var value in tensor.Values)
        {
            switch (tensor.DType)
            {
                case "F32":
                    bytes.Write(BitConverter.GetBytes(value));
                    break;
                case "F16":
                    bytes.Write(BitConverter.GetBytes(BitConverter.HalfToUInt16Bits((Half)value)));
                    break;
                default:
                    bytes.Write(BitConverter.GetBytes((ushort)BFloat16Bits(value)));
                    break;
            }
        }

        return bytes.ToArray();
    }

    /// <summary>Round to nearest even, as torch converts float32 to bfloat16 (finite values only here).</summary>
    private static int BFloat16Bits(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        return (int)(((uint)bits + 0x7FFFu + (((uint)bits >> 16) & 1u)) >> 16);
    }
}
