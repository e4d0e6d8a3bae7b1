using Google.Protobuf;

namespace HyMiRec.Testing.Pretrained;

/// <summary>
/// A SentencePiece BPE tokenizer.model written as protobuf by hand (sentencepiece_model.proto field numbers):
/// &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, then the given pieces, LLaMA's normaliser settings (dummy prefix, spaces as "▁").
/// </summary>
public static class SentencePieceModelWriter
{
    private const int Normal = 1;
    private const int Unknown = 2;
    private const int Control = 3;
    private const int Bpe = 2;

    /// <returns>All pieces by id, the three specials first.</returns>
    public static string[] Write(string path, IReadOnlyList<(string Piece, float Score)> pieces)
    {
        (string Piece, float Score, int Type)[] all =
        [
            ("<unk>", 0, Unknown), ("<s>", 0, Control), ("</s>", 0, Control),
            .. pieces.Select(p => (p.Piece, p.Score, Normal)),
        ];
        using var file = File.Create(path);
        using var model = new CodedOutputStream(file, leaveOpen: true);
        foreach (var (piece, score, type) in all)
        {
            model.WriteTag(1, WireFormat.WireType.LengthDelimited);
            model.WriteBytes(Message(m =>
            {
                m.WriteTag(1, WireFormat.WireType.LengthDelimited);
                m.WriteString(piece);
                m.WriteTag(2, WireFormat.WireType.Fixed32);
                m.WriteFloat(score);
                m.WriteTag(3, WireFormat.WireType.Varint);
                m.WriteEnum(type);
            }));
        }

        model.WriteTag(2, WireFormat.WireType.LengthDelimited);
        model.WriteBytes(Message(m =>
        {
            m.WriteTag(3, WireFormat.WireType.Varint);
            m.WriteEnum(Bpe);
            m.WriteTag(24, WireFormat.WireType.Varint);
            m.WriteBool(false); // treat_whitespace_as_suffix
            m.WriteTag(35, WireFormat.WireType.Varint);
            m.WriteBool(false); // byte_fallback
            m.WriteTag(40, WireFormat.WireType.Varint);
            m.WriteInt32(0); // unk_id
            m.WriteTag(41, WireFormat.WireType.Varint);
            m.WriteInt32(1); // bos_id
            m.WriteTag(42, WireFormat.WireType.Varint);
            m.WriteInt32(2); // eos_id
            m.WriteTag(43, WireFormat.WireType.Varint);
            m.WriteInt32(-1); // pad_id: none
        }));

        model.WriteTag(3, WireFormat.WireType.LengthDelimited);
        model.WriteBytes(Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.LengthDelimited);
            m.WriteString("identity");
            m.WriteTag(3, WireFormat.WireType.Varint);
            m.WriteBool(true); // add_dummy_prefix
            m.WriteTag(4, WireFormat.WireType.Varint);
            m.WriteBool(false); // remove_extra_whitespaces
            m.WriteTag(5, WireFormat.WireType.Varint);
            m.WriteBool(true); // escape_whitespaces
        }));
        model.Flush();
        return [.. all.Select(p => p.Piece)];
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var bytes = new MemoryStream();
        using (var output = new CodedOutputStream(bytes, leaveOpen: true))
        {
            write(output);
            output.Flush();
        }

        return ByteString.CopyFrom(bytes.ToArray());
    }
}
