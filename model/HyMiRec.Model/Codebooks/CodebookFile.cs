using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>
/// Binary codebook file, little-endian:
/// <c>"HMRCB"</c> | u16 version | u8 kind | i32 L | i32 K | i32 D | f32 centroids [L, K, D] | SHA-256 (32 bytes).
/// The hash covers everything between the magic and the hash, so a flipped header byte is caught as well.
/// </summary>
public static class CodebookFile
{
    public const ushort FormatVersion = 1;

    private const int HeaderBytes = 20;
    private const int HashBytes = 32;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("HMRCB");

    public static void Write(string path, QuantizerKind kind, Tensor centroids)
    {
        var (layers, codes, dimension) = ((int)centroids.shape[0], (int)centroids.shape[1], (int)centroids.shape[2]);
        var values = centroids.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var bytes = new byte[HeaderBytes + (values.Length * 4L) + HashBytes];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(5), FormatVersion);
        bytes[7] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), layers);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), codes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), dimension);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(HeaderBytes + (i * 4)), values[i]);
        }

        SHA256.HashData(bytes.AsSpan(Magic.Length, bytes.Length - HashBytes - Magic.Length), bytes.AsSpan(bytes.Length - HashBytes));
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Reads and verifies a codebook file; returns its centroids [L, K, D] as float32.</summary>
    /// <exception cref="InvalidDataException">Not a codebook, truncated, corrupt, or of another kind.</exception>
    public static Tensor Read(string path, QuantizerKind expectedKind)
    {
        var (kind, centroids) = Read(path);
        if (kind != expectedKind)
        {
            centroids.Dispose();
            throw new InvalidDataException($"{path}: holds a {kind} quantiser, expected {expectedKind}");
        }

        return centroids;
    }

    /// <summary>Loads whichever quantiser the file holds.</summary>
    public static ResidualQuantizer Load(string path)
    {
        using var scope = NewDisposeScope();
        var (kind, centroids) = Read(path);
        return kind == QuantizerKind.Cosine ? new CosineResidualCodebook(centroids) : new EuclideanResidualQuantizer(centroids);
    }

    private static (QuantizerKind Kind, Tensor Centroids) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a HyMiRec codebook file (missing \"HMRCB\" magic)");
        }

        if (bytes.Length < HeaderBytes + HashBytes)
        {
            throw new InvalidDataException($"{path}: truncated codebook file ({bytes.Length} bytes, header alone needs {HeaderBytes + HashBytes})");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(5));
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"{path}: unsupported codebook format version {version} (this build reads {FormatVersion})");
        }

        var kind = (QuantizerKind)bytes[7];
        var layers = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var codes = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        if (!Enum.IsDefined(kind) || layers < 1 || codes is < 1 or > 65536 || dimension < 1)
        {
            throw new InvalidDataException($"{path}: corrupt codebook header (kind {(int)kind}, L {layers}, K {codes}, D {dimension})");
        }

        var count = (long)layers * codes * dimension;
        var expected = HeaderBytes + (count * 4) + HashBytes;
        if (bytes.Length != expected)
        {
            throw new InvalidDataException(
                $"{path}: {(bytes.Length < expected ? "truncated" : "oversized")} codebook file ({bytes.Length} bytes, expected {expected} for L={layers}, K={codes}, D={dimension})");
        }

        var hash = SHA256.HashData(bytes.AsSpan(Magic.Length, bytes.Length - HashBytes - Magic.Length));
        if (!hash.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
        {
            throw new InvalidDataException($"{path}: codebook checksum mismatch, the file is corrupt");
        }

        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(HeaderBytes + (i * 4))));
        }

        return (kind, tensor(values, [layers, codes, dimension]));
    }
}
