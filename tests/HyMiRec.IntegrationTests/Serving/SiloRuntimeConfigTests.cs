using System.Text.Json;
using HyMiRec.IntegrationTests.ScaleOut;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>
/// The runtime settings the latency figures were measured with (build/SiloRuntime.props) reach every process that
/// hosts the silo: the executable and the bench that starts it in process.
/// </summary>
public sealed class SiloRuntimeConfigTests
{
    [Theory]
    [InlineData("silo/HyMiRec.Silo", "hymirec-silo")]
    [InlineData("bench/HyMiRec.Serving.Bench", "hymirec-serving-bench")]
    public void ServerGcTheCappedGen0BudgetAndDatasOffAreInTheRuntimeConfig(string project, string assembly)
    {
        var silo = new FileInfo(SiloProcess.SiloAssembly);
        var configuration = silo.Directory!.Parent!.Name;
        var path = Path.Combine(SiloProcess.RepositoryRoot, project, "bin", configuration, silo.Directory.Name, assembly + ".runtimeconfig.json");

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean(), path);
        Assert.Equal(6L * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        Assert.Equal(0, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
    }
}
