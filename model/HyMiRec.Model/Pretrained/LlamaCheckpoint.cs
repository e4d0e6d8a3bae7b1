using System.Security.Cryptography;
using HyMiRec.Model.IO;
using HyMiRec.Model.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Pretrained;

/// <summary>
/// A local Hugging Face LLaMA directory: config.json, a tokenizer (SentencePiece tokenizer.model or byte-level BPE
/// tokenizer.json) and safetensors weights.
/// The fingerprint lets an artifact record which checkpoint made its text features, so a retrain can refuse a
/// different one whose features would not match the learnt projection.
/// </summary>
public sealed class LlamaCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string TokenizerFile = LlamaTextTokenizer.SentencePieceFile;

    private readonly Lazy<string> _fingerprint;
    private readonly Lock _featuresLock = new();
    private (string[] Texts, int MaxTokens, Tensor Features)? _lastFeatures;

    private LlamaCheckpoint(string directory, LlamaConfig config, LlamaTextTokenizer tokenizer, SafeTensorsCheckpoint weights)
    {
        Directory = directory;
        Config = config;
        Tokenizer = tokenizer;
        Weights = weights;
        _fingerprint = new Lazy<string>(ComputeFingerprint);
    }

    public string Directory { get; }

    /// <summary>The directory's own name (informative: the same checkpoint may live at different paths).</summary>
    public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory)));

    public LlamaConfig Config { get; }

    public LlamaTextTokenizer Tokenizer { get; }

    public SafeTensorsCheckpoint Weights { get; }

    /// <summary>Hex SHA-256 over config.json, the tokenizer file and the weight files in sorted order (hashed once, on first use).</summary>
    public string Fingerprint => _fingerprint.Value;

    public static LlamaCheckpoint Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: LLaMA checkpoint directory not found");
        }

        var config = LlamaConfig.Read(Path.Combine(directory, ConfigFile));
        var tokenizer = LlamaTextTokenizer.Load(directory, config);
        return new LlamaCheckpoint(directory, config, tokenizer, SafeTensorsCheckpoint.Open(directory));
    }

    /// <summary>
    /// Frozen text features [N + 1, H] of <paramref name="texts"/> (see <see cref="PretrainedTextFeatures"/>). The last
    /// result is kept, so several models trained in one run on the same catalog (a benchmark's ablations) run the LLM
    /// over it once instead of once per model. The caller owns the returned tensor.
    /// </summary>
    public (Tensor Features, bool Computed) TextFeatures(IReadOnlyList<string> texts, int maxTokens, int batchSize)
    {
        lock (_featuresLock)
        {
            if (_lastFeatures is { } last && last.MaxTokens == maxTokens && last.Texts.SequenceEqual(texts, StringComparer.Ordinal))
            {
                return (last.Features.clone(), false);
            }

            _lastFeatures?.Features.Dispose();
            _lastFeatures = null;
            using var encoder = LlamaTextEncoder.Load(this);
            var features = PretrainedTextFeatures.Compute(encoder, Tokenizer, texts, maxTokens, batchSize).DetachFromDisposeScope();
            _lastFeatures = ([.. texts], maxTokens, features);
            return (features.clone(), true);
        }
    }

    private string ComputeFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        string[] files = [Path.Combine(Directory, ConfigFile), Tokenizer.File, .. Weights.Files.Order(StringComparer.Ordinal)];
        foreach (var file in files)
        {
            // The name is hashed too, so moving bytes between files gives another fingerprint.
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
