using SkiaSharp;

namespace HyMiRec.Testing;

/// <summary>Reads a written chart back: it must decode as a PNG, and its size is what the tests check, not its pixels.</summary>
public static class PngFile
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Size(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        Assert.Equal(Signature, File.ReadAllBytes(path)[..8]);
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        return (bitmap.Width, bitmap.Height);
    }
}
