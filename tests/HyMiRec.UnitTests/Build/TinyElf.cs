using System.Buffers.Binary;
using System.Text;

namespace HyMiRec.UnitTests.Build;

/// <summary>Builds the smallest ELF64 file the patcher reads: a header, .dynstr and one .gnu.version_r entry.</summary>
internal static class TinyElf
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;

    public static byte[] WithVersionNeeds(string file, params string[] versions)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var fileName = AddString(strings, file);
        var names = versions.Select(v => AddString(strings, v)).ToArray();
        var dynstr = strings.ToArray();

        var verneedSize = 16 + (16 * versions.Length);
        var dynstrOffset = HeaderSize;
        var verneedOffset = dynstrOffset + dynstr.Length;
        var shoff = verneedOffset + verneedSize;
        var elf = new byte[shoff + (3 * SectionHeaderSize)];
        var s = elf.AsSpan();
        s[0] = 0x7f;
        s[1] = (byte)'E';
        s[2] = (byte)'L';
        s[3] = (byte)'F';
        s[4] = 2;
        s[5] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(s[0x28..], (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(s[0x3A..], SectionHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[0x3C..], 3);
        dynstr.CopyTo(s[dynstrOffset..]);

        var need = s[verneedOffset..];
        BinaryPrimitives.WriteUInt16LittleEndian(need, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(need[2..], (ushort)versions.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(need[4..], (uint)fileName);
        BinaryPrimitives.WriteUInt32LittleEndian(need[8..], 16);
        for (var i = 0; i < versions.Length; i++)
        {
            var aux = need[(16 + (16 * i))..];
            BinaryPrimitives.WriteUInt32LittleEndian(aux[8..], (uint)names[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(aux[12..], i == versions.Length - 1 ? 0u : 16u);
        }

        // Section 1: .dynstr (SHT_STRTAB); section 2: .gnu.version_r linking to section 1.
        var strSection = s[(shoff + SectionHeaderSize)..];
        BinaryPrimitives.WriteUInt32LittleEndian(strSection[4..], 3);
        BinaryPrimitives.WriteUInt64LittleEndian(strSection[24..], (ulong)dynstrOffset);
        var verSection = s[(shoff + (2 * SectionHeaderSize))..];
        BinaryPrimitives.WriteUInt32LittleEndian(verSection[4..], 0x6ffffffe);
        BinaryPrimitives.WriteUInt64LittleEndian(verSection[24..], (ulong)verneedOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(verSection[40..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(verSection[44..], 1);
        return elf;
    }

    public static ushort FlagsOf(byte[] elf, int auxIndex)
    {
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var verneed = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(shoff + (2 * SectionHeaderSize) + 24));
        return BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(verneed + 16 + (16 * auxIndex) + 4));
    }

    private static int AddString(MemoryStream strings, string value)
    {
        var offset = (int)strings.Position;
        strings.Write(Encoding.ASCII.GetBytes(value));
        strings.WriteByte(0);
        return offset;
    }
}
