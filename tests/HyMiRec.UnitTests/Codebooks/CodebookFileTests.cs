using HyMiRec.Model.Codebooks;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Codebooks;

public sealed class CodebookFileTests
{
    private static readonly ResidualQuantizerOptions Options = new() { Layers = 2, Codes = 8, Iterations = 3, Seed = 2 };

    [Fact]
    public void Cosine_save_load_round_trip_gives_identical_codes_and_magnitudes()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        var x = SyntheticEmbeddings.Generate(200, 8, seed: 7);
        using var codebook = CosineResidualCodebook.Train(x, Options);
        var path = dir.File("cb.bin");
        codebook.Save(path);

        using var loaded = CosineResidualCodebook.Load(path);
        var before = codebook.Encode(x);
        var after = loaded.Encode(x);

        Assert.Equal((2, 8, 8), (loaded.Layers, loaded.Codes, loaded.Dimension));
        Assert.Equal(before.PackedCodes.ToArray(), after.PackedCodes.ToArray());
        Assert.Equal(before.Magnitudes, after.Magnitudes);
        Assert.Equal(codebook.Centroids.data<float>().ToArray(), loaded.Centroids.data<float>().ToArray());
        Assert.Equal(20 + (2 * 8 * 8 * 4) + 32, new FileInfo(path).Length);
    }

    [Fact]
    public void A_loaded_cosine_codebook_saves_byte_for_byte_the_same_file()
    {
        // The file's hash is the codebook version: a retrain that keeps the codebook must not change it.
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        var x = SyntheticEmbeddings.Generate(600, 64, seed: 9);
        using var codebook = CosineResidualCodebook.Train(x, Options with { Codes = 32 });
        codebook.Save(dir.File("first.bin"));
        using var loaded = CodebookFile.Load(dir.File("first.bin"));
        loaded.Save(dir.File("second.bin"));
        Assert.Equal(File.ReadAllBytes(dir.File("first.bin")), File.ReadAllBytes(dir.File("second.bin")));
    }

    [Fact]
    public void Load_dispatches_on_the_stored_kind_and_rejects_a_mismatch()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        var x = SyntheticEmbeddings.Generate(200, 8, seed: 8);
        using var quantizer = EuclideanResidualQuantizer.Train(x, Options);
        var path = dir.File("rq.bin");
        quantizer.Save(path);

        using var any = CodebookFile.Load(path);
        Assert.IsType<EuclideanResidualQuantizer>(any);
        Assert.Equal(quantizer.Encode(x).PackedCodes.ToArray(), any.Encode(x).PackedCodes.ToArray());
        var error = Assert.Throws<InvalidDataException>(() => CosineResidualCodebook.Load(path));
        Assert.Contains("expected Cosine", error.Message);
    }

    [Theory]
    [InlineData("flip-payload", "checksum")]
    [InlineData("flip-header", "")]
    [InlineData("truncate", "truncated")]
    [InlineData("magic", "magic")]
    [InlineData("version", "version")]
    [InlineData("empty", "magic")]
    public void Damaged_files_throw_InvalidDataException_naming_the_problem(string damage, string expected)
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        var path = dir.File("cb.bin");
        using (var codebook = new CosineResidualCodebook(randn(2, 4, 3)))
        {
            codebook.Save(path);
        }

        var bytes = File.ReadAllBytes(path);
        bytes = damage switch
        {
            "flip-payload" => Flip(bytes, 40),
            "flip-header" => Flip(bytes, 13),
            "truncate" => bytes[..^10],
            "magic" => Flip(bytes, 0),
            "version" => Flip(bytes, 5),
            _ => [],
        };
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => CosineResidualCodebook.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        bytes[index] ^= 0x5A;
        return bytes;
    }
}
