using System.Text;
using HyMiRec.Model.IO;

namespace HyMiRec.UnitTests.Codebooks;

public sealed class NpyFileTests
{
    [Fact]
    public void Float32_matrix_round_trips_with_a_numpy_compatible_header()
    {
        using var dir = new TempDirectory();
        var path = dir.File("x.npy");
        var data = Enumerable.Range(0, 12).Select(i => (i * 0.5f) - 2f).ToArray();

        NpyFile.WriteFloat32Matrix(path, data, 3, 4);
        var (read, rows, cols) = NpyFile.ReadFloat32Matrix(path);

        Assert.Equal((3, 4), (rows, cols));
        Assert.Equal(data, read);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, (10 + BitConverter.ToUInt16(bytes, 8)) % 64);
        Assert.Contains("'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", Encoding.ASCII.GetString(bytes));
        Assert.Equal(10 + BitConverter.ToUInt16(bytes, 8) + 48, bytes.Length);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", "dtype '<f8'")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", "dtype '>f4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", "C-order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", "2-D")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 1), }", "2-D")]
    public void Unsupported_layouts_are_refused_naming_the_file(string header, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.npy");
        File.WriteAllBytes(path, RawNpy(header, new byte[16]));

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.ReadFloat32Matrix(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Truncated_data_and_non_npy_files_are_refused()
    {
        using var dir = new TempDirectory();
        var truncated = dir.File("short.npy");
        File.WriteAllBytes(truncated, RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[12]));
        var notNpy = dir.File("text.npy");
        File.WriteAllText(notNpy, "hello, this is not numpy");

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => NpyFile.ReadFloat32Matrix(truncated)).Message);
        Assert.Contains("not a .npy", Assert.Throws<InvalidDataException>(() => NpyFile.ReadFloat32Matrix(notNpy)).Message);
    }

    private static byte[] RawNpy(string header, byte[] payload)
    {
        var text = Encoding.ASCII.GetBytes(header + "\n");
        byte[] prefix = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)text.Length, 0];
        return [.. prefix, .. text, .. payload];
    }
}
