using System.Buffers.Binary;
using System.IO.Compression;
using HyMiRec.Trainer.Plotting;

namespace HyMiRec.Tests.Plotting;

public sealed class PngImageTests
{
    [Fact]
    public void Png_has_a_valid_header_and_pixel_data_that_round_trips()
    {
        var image = new PngImage(3, 2, (255, 255, 255));
        image.Set(1, 0, (10, 20, 30));
        image.Set(9, 9, (1, 1, 1)); // outside: ignored
        var bytes = image.Encode();

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));

        // IHDR's CRC-32 over type + data, as every PNG reader checks it (reference value from the PNG spec's algorithm).
        Assert.Equal(Crc32(bytes.AsSpan(12, 17)), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(29)));

        var idat = bytes.AsSpan(33);
        var length = BinaryPrimitives.ReadInt32BigEndian(idat);
        Assert.Equal("IDAT", System.Text.Encoding.ASCII.GetString(idat.Slice(4, 4)));
        using var inflate = new ZLibStream(new MemoryStream(idat.Slice(8, length).ToArray()), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflate.CopyTo(raw);
        byte[] expected = [0, 255, 255, 255, 10, 20, 30, 255, 255, 255, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        Assert.Equal(expected, raw.ToArray());
    }

    [Theory]
    [InlineData(0.1001, 0.1201, 0.10, 0.13, 0.01)]
    [InlineData(0.05, 0.3, 0.0, 0.3, 0.1)]
    public void Axis_ticks_are_round_and_cover_the_data(double min, double max, double low, double high, double step)
    {
        var ticks = LineChart.Ticks(min, max);
        Assert.Equal(low, ticks.Low, 9);
        Assert.Equal(high, ticks.High, 9);
        Assert.Equal(step, ticks.Step, 9);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
