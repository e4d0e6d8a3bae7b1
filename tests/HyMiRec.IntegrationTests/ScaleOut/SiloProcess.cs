using System.Diagnostics;
using System.Globalization;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>
/// One silo as a real OS process: the built hymirec-silo.dll run with `dotnet` and command-line settings, its
/// output written to a log file. <see cref="Kill"/> sends SIGKILL, so nothing in the silo runs after it.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private bool _logClosed;

    private SiloProcess(string name, Process process, StreamWriter log, string logPath, Uri baseAddress, int siloPort)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        BaseAddress = baseAddress;
        SiloPort = siloPort;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int SiloPort { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The silo's build output, for the configuration the tests were built in (Release in CI).</summary>
    public static string SiloAssembly
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testOutput.Parent!.Name;
            var path = Path.Combine(RepositoryRoot, "silo", "HyMiRec.Silo", "bin", configuration, testOutput.Name, "hymirec-silo.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"The silo is not built at {path}; run `bash scripts/setup.sh` first");
        }
    }

    public static string RepositoryRoot => Requirements.RepositoryRoot;

    /// <summary>Starts a silo on free ports with <paramref name="settings"/> as `--Key=value` arguments.</summary>
    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        var ports = FreePorts.Take(3);
        var values = new Dictionary<string, string>(settings)
        {
            ["Urls"] = $"http://127.0.0.1:{ports[0]}",
            ["Cluster:SiloPort"] = ports[1].ToString(CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = ports[2].ToString(CultureInfo.InvariantCulture),
        };
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(SiloAssembly);
        foreach (var (key, value) in values)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        // One libtorch thread per silo: four silos and the test share two cores.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["DOTNET_gcServer"] = "0";
        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(name, process, log, logPath, new Uri($"http://127.0.0.1:{ports[0]}"), ports[1]);
        process.OutputDataReceived += (_, e) => silo.Write(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until /healthz answers; fails with the log's tail if the process exits or time runs out.</summary>
    public async Task WaitHealthyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"silo {Name} exited with {_process.ExitCode} during start-up:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"silo {Name} not healthy after {timeout.TotalSeconds:0} s:\n{Tail()}");
            }

            await timer.WaitForNextTickAsync();
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, no offsets are committed, no grain is deactivated.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public string Tail(int lines = 40)
    {
        lock (_logGate)
        {
            if (!_logClosed)
            {
                _log.Flush();
            }
        }

        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        lock (_logGate)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }
}
