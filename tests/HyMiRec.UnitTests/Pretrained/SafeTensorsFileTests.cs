using System.Text;
using HyMiRec.Model.IO;
using HyMiRec.Model.Modules;
using HyMiRec.Model.Pretrained;

using HyMiRec.Testing.Pretrained;

namespace HyMiRec.UnitTests.Pretrained;

public sealed class SafeTensorsFileTests
{
    private static readonly float[] Values = [1.0f, -2.5f, 3.14159265f, 1e-3f, 65.123456f, -0.333333f];

    [Fact]
    public void Reads_back_f32_exactly_and_f16_bf16_as_their_rounded_values()
    {
        using var dir = new TempDirectory();
        TensorToWrite[] tensors =
        [
            new("a", "F32", [2, 3], Values), new("b", "F16", [3, 2], Values), new("c", "BF16", [6], Values), new("scalar", "F32", [], [7.5f]),
        ];
        SafeTensorsWriter.Write(dir.File("m.safetensors"), tensors);
        var file = SafeTensorsFile.Open(dir.File("m.safetensors"));
        Assert.Equal("pt", file.Metadata["format"]);
        foreach (var tensor in tensors)
        {
            using var read = file.ReadFloat32(tensor.Name);
            Assert.Equal(tensor.Shape, read.shape);
            Assert.Equal(tensor.Stored, read.data<float>().ToArray());
        }

        // The rounding is real: a reader that took the 16-bit formats for something else could not match.
        Assert.NotEqual(Values, tensors[1].Stored);
        Assert.NotEqual(Values, tensors[2].Stored);
        Assert.NotEqual(tensors[1].Stored, tensors[2].Stored);
    }

    [Fact]
    public void Damaged_files_fail_with_errors_naming_file_and_tensor()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        SafeTensorsWriter.Write(path, [new("first", "F32", [6], Values), new("last", "BF16", [6], Values)]);
        var whole = File.ReadAllBytes(path);

        File.WriteAllBytes(path, whole[..^4]);
        AssertFails(path, "last", "outside the data region");

        File.WriteAllBytes(path, whole[..20]);
        AssertFails(path, "header length");

        File.WriteAllBytes(path, whole[..5]);
        AssertFails(path, "truncated");

        WriteRaw(path, """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 12]}}""", 12);
        AssertFails(path, "'w'", "needs 8");

        WriteRaw(path, """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""", 8);
        AssertFails(path, "'w'", "outside the data region");

        WriteRaw(path, """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]""", 8);
        AssertFails(path, "not valid JSON");

        WriteRaw(path, """{"ids": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]}}""", 16);
        var file = SafeTensorsFile.Open(path);
        var unsupported = Assert.Throws<InvalidDataException>(() => file.ReadFloat32("ids"));
        Assert.Contains("'ids'", unsupported.Message, StringComparison.Ordinal);
        Assert.Contains("I64", unsupported.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidDataException>(() => file.ReadFloat32("absent"));
        Assert.Contains("'absent'", missing.Message, StringComparison.Ordinal);
        Assert.Contains(path, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sharded_checkpoints_read_each_tensor_from_its_shard()
    {
        using var dir = new TempDirectory();
        SafeTensorsWriter.Write(dir.File("model-00001-of-00002.safetensors"), [new("x", "F32", [2], [1, 2])]);
        SafeTensorsWriter.Write(dir.File("model-00002-of-00002.safetensors"), [new("y", "F16", [3], [3, 4, 5])]);
        File.WriteAllText(dir.File(SafeTensorsCheckpoint.IndexFile),
            """{"metadata": {}, "weight_map": {"x": "model-00001-of-00002.safetensors", "y": "model-00002-of-00002.safetensors"}}""");
        var checkpoint = SafeTensorsCheckpoint.Open(dir.Path);
        Assert.Equal(2, checkpoint.Files.Count);
        using var x = checkpoint.ReadFloat32("x");
        using var y = checkpoint.ReadFloat32("y");
        Assert.Equal([1f, 2f], x.data<float>().ToArray());
        Assert.Equal([3f, 4f, 5f], y.data<float>().ToArray());
        Assert.Contains("'z'", Assert.Throws<InvalidDataException>(() => checkpoint.ReadFloat32("z")).Message, StringComparison.Ordinal);

        File.WriteAllText(dir.File(SafeTensorsCheckpoint.IndexFile), """{"weight_map": {"x": "model-00002-of-00002.safetensors"}}""");
        var wrong = Assert.Throws<InvalidDataException>(() => SafeTensorsCheckpoint.Open(dir.Path));
        Assert.Contains("'x'", wrong.Message, StringComparison.Ordinal);

        File.Delete(dir.File(SafeTensorsCheckpoint.IndexFile));
        var none = Assert.Throws<FileNotFoundException>(() => SafeTensorsCheckpoint.Open(dir.Path));
        Assert.Contains(SafeTensorsCheckpoint.SingleFile, none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_weight_whose_shape_disagrees_with_the_config_is_named()
    {
        using var dir = new TempDirectory();
        TinyLlama.Write(dir.Path);
        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["intermediate_size"] = TinyLlama.Intermediate + 1 });
        var checkpoint = LlamaCheckpoint.Open(dir.Path);
        var error = Assert.Throws<InvalidDataException>(() => LlamaTextEncoder.Load(checkpoint));
        Assert.Contains("'model.layers.0.mlp.gate_proj.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"[{TinyLlama.Intermediate + 1}, {TinyLlama.Hidden}]", error.Message, StringComparison.Ordinal);
    }

    private static void AssertFails(string path, params string[] fragments)
    {
        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }
    }

    private static void WriteRaw(string path, string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        file.Write(new byte[dataBytes]);
    }
}
