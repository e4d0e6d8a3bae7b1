using System.CommandLine;
using System.Text.Json;
using HyMiRec.Model.Codebooks;
using HyMiRec.Model.IO;
using HyMiRec.Training;
using HyMiRec.Training.Commands;

namespace HyMiRec.UnitTests.Codebooks;

public sealed class CodebookCommandTests
{
    [Fact]
    public void Missing_embeddings_file_is_one_error_line_and_exit_code_2()
    {
        var (code, output, error) = Run("codebook", "--embeddings", "/no/such/items.npy", "--layers", "2", "--codes", "8");

        Assert.Equal(2, code);
        Assert.Equal("error: embeddings file not found: /no/such/items.npy", error.Trim());
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("500x16")]
    [InlineData("500,")]
    [InlineData("-5,16")]
    public void Bad_synthetic_format_is_a_usage_error(string value)
    {
        var (code, _, error) = Run("codebook", "--synthetic", value, "--layers", "2", "--codes", "8");

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("--synthetic expects N,D", error);
    }

    [Fact]
    public void Parse_errors_are_one_line_and_exit_code_2()
    {
        var (code, _, error) = Run("codebook", "--synthetic", "100,4", "--layers", "two", "--codes", "8");

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Runs_on_synthetic_data_and_writes_codebook_and_json()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = Run(
            "codebook", "--synthetic", "500,16", "--layers", "3", "--codes", "16", "--iterations", "4",
            "--out", dir.File("cb.bin"), "--json", dir.File("report.json"));

        Assert.True(code == 0, error);
        Assert.Contains("| layers | mean cos | p5 cos |", output);
        Assert.Contains("| 3 | 0.", output);
        using var loaded = CosineResidualCodebook.Load(dir.File("cb.bin"));
        Assert.Equal((3, 16, 16), (loaded.Layers, loaded.Codes, loaded.Dimension));
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("report.json")));
        Assert.Equal(3, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(9, json.RootElement.GetProperty("rows")[2].GetProperty("bytesPerItem").GetDouble());
    }

    [Fact]
    public void Reads_embeddings_from_npy_for_the_euclidean_ablation()
    {
        using var dir = new TempDirectory();
        var path = dir.File("items.npy");
        var data = Enumerable.Range(0, 64 * 4).Select(i => MathF.Sin(i * 0.37f)).ToArray();
        NpyFile.WriteFloat32Matrix(path, data, 64, 4);

        var (code, output, error) = Run("codebook", "--embeddings", path, "--layers", "2", "--codes", "4", "--kind", "euclidean");

        Assert.True(code == 0, error);
        Assert.Contains("euclidean codebook on items.npy: N=64, D=4", output);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Cli.Run(new RootCommand { CodebookCommand.Create() }, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
