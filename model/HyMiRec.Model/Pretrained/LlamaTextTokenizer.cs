using Microsoft.ML.Tokenizers;

namespace HyMiRec.Model.Pretrained;

/// <summary>
/// A checkpoint's tokenizer: SentencePiece tokenizer.model (LLaMA 1 and 2, TinyLlama) through Microsoft.ML.Tokenizers,
/// or else a byte-level BPE tokenizer.json (LLaMA 3). Every text becomes BOS + pieces + EOS, cut to a maximum length
/// that keeps both markers, so the last real token is always EOS: a causal model has read the whole text there,
/// which is why the encoder pools at that position.
/// </summary>
public sealed class LlamaTextTokenizer
{
    public const string SentencePieceFile = "tokenizer.model";
    public const string TokenizerJsonFile = "tokenizer.json";

    private readonly Func<string, IReadOnlyList<int>> _pieces;

    private LlamaTextTokenizer(string file, Func<string, IReadOnlyList<int>> pieces, int beginId, int endId)
    {
        File = file;
        _pieces = pieces;
        BeginId = beginId;
        EndId = endId;
    }

    /// <summary>The file the tokenizer was read from.</summary>
    public string File { get; }

    public int BeginId { get; }

    public int EndId { get; }

    /// <summary>tokenizer.model when the directory has one, else tokenizer.json with BOS and EOS ids from <paramref name="config"/>.</summary>
    public static LlamaTextTokenizer Load(string directory, LlamaConfig config)
    {
        var sentencePiece = Path.Combine(directory, SentencePieceFile);
        var json = Path.Combine(directory, TokenizerJsonFile);
        if (System.IO.File.Exists(sentencePiece))
        {
            return LoadSentencePiece(sentencePiece);
        }

        if (!System.IO.File.Exists(json))
        {
            throw new FileNotFoundException($"{sentencePiece}: no tokenizer found: neither a SentencePiece {SentencePieceFile} nor a {json}", sentencePiece);
        }

        var bpe = ByteLevelBpe.Load(json);
        if (config.BeginTokenId is not { } begin || config.EndTokenId is not { } end)
        {
            throw new InvalidDataException($"{directory}: config.json needs bos_token_id and eos_token_id to use {TokenizerJsonFile}");
        }

        if (bpe.LargestId >= config.VocabularySize)
        {
            throw new InvalidDataException($"{json}: token id {bpe.LargestId} lies outside the model's vocabulary of {config.VocabularySize}");
        }

        return new LlamaTextTokenizer(json, bpe.Encode, begin, end);
    }

    /// <summary>BOS, the text's pieces and EOS, at most <paramref name="maxTokens"/> ids (pieces are cut, never the markers).</summary>
    public int[] Encode(string text, int maxTokens)
    {
        if (maxTokens < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "room for BOS and EOS is needed");
        }

        var pieces = string.IsNullOrEmpty(text) ? [] : _pieces(text);
        var kept = Math.Min(pieces.Count, maxTokens - 2);
        var ids = new int[kept + 2];
        ids[0] = BeginId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = EndId;
        return ids;
    }

    private static LlamaTextTokenizer LoadSentencePiece(string path)
    {
        try
        {
            using var stream = System.IO.File.OpenRead(path);
            var tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
            return new LlamaTextTokenizer(path, text => tokenizer.EncodeToIds(text), tokenizer.BeginningOfSentenceId, tokenizer.EndOfSentenceId);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: not a usable SentencePiece model: {e.Message}", e);
        }
    }
}
