using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace HyMiRec.Model.IO;

/// <summary>
/// NumPy <c>.npy</c> files holding one float32 2-D array, little-endian ('&lt;f4'), C order. Enough to exchange item
/// embeddings with Python (<c>np.save</c> / <c>np.load</c>); every other layout is refused with a clear error.
/// </summary>
public static partial class NpyFile
{
    private const int SliceFloats = 1 << 24;
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <exception cref="InvalidDataException">Not an .npy file, an unsupported dtype/order/shape, or truncated.</exception>
    public static (float[] Data, int Rows, int Cols) ReadFloat32Matrix(string path)
    {
        using var stream = File.OpenRead(path);
        var prefix = new byte[10];
        ReadExactly(stream, prefix, path, "header");
        if (!prefix.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a .npy file (bad magic)");
        }

        var major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(8));
        }
        else if (major is 2 or 3)
        {
            var extra = new byte[2];
            ReadExactly(stream, extra, path, "header");
            headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian([prefix[8], prefix[9], extra[0], extra[1]]);
        }
        else
        {
            throw new InvalidDataException($"{path}: unsupported .npy format version {major}.{prefix[7]}");
        }

        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, path, "header");
        var (rows, cols) = ParseHeader(Encoding.UTF8.GetString(headerBytes), path);

        var data = new float[checked(rows * cols)];
        // In slices: a byte span over more than 512M floats would overflow Span's int length.
        for (var start = 0; start < data.Length; start += SliceFloats)
        {
            var slice = data.AsSpan(start, Math.Min(SliceFloats, data.Length - start));
            ReadExactly(stream, MemoryMarshal.AsBytes(slice), path, $"data ({rows} x {cols} float32) from value {start}");
        }

        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(data[i])));
            }
        }

        return (data, (int)rows, (int)cols);
    }

    /// <summary>Writes a version 1.0 .npy file ('&lt;f4', C order, shape (rows, cols)).</summary>
    public static void WriteFloat32Matrix(string path, float[] data, int rows, int cols)
    {
        if (rows < 0 || cols < 0 || data.Length != (long)rows * cols)
        {
            throw new ArgumentException($"data has {data.Length} values, shape ({rows}, {cols}) needs {(long)rows * cols}");
        }

        var dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");

        // The header (magic .. newline) is padded with spaces to a multiple of 64 bytes, as NumPy does.
        var padded = dict.PadRight(((10 + dict.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)padded.Length);
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(padded));
        var bytes = new byte[data.Length * 4L];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
        }

        stream.Write(bytes);
    }

    private static (long Rows, long Cols) ParseHeader(string header, string path)
    {
        var descr = DescrPattern().Match(header);
        if (!descr.Success)
        {
            throw new InvalidDataException($"{path}: .npy header has no 'descr': {header.Trim()}");
        }

        var dtype = descr.Groups[1].Value;
        if (dtype != "<f4" && !(dtype == "=f4" && BitConverter.IsLittleEndian))
        {
            throw new InvalidDataException($"{path}: unsupported dtype '{dtype}', only little-endian float32 ('<f4') is read");
        }

        if (FortranPattern().Match(header) is not { Success: true } fortran || fortran.Groups[1].Value != "False")
        {
            throw new InvalidDataException($"{path}: only C-order arrays are read (fortran_order must be False)");
        }

        var shape = ShapePattern().Match(header);
        var dims = shape.Success
            ? shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        if (dims.Length != 2 || !long.TryParse(dims[0], out var rows) || !long.TryParse(dims[1], out var cols)
            || rows * cols > Array.MaxLength || rows > int.MaxValue || cols > int.MaxValue)
        {
            throw new InvalidDataException(
                $"{path}: unsupported shape ({(shape.Success ? shape.Groups[1].Value : "?")}), expected a 2-D array (rows, cols)");
        }

        return (rows, cols);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string part)
    {
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"{path}: truncated .npy file, {part} needs {buffer.Length} bytes but only {read} remain");
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
