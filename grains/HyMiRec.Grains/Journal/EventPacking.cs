using HyMiRec.Events;

namespace HyMiRec.Grains.Journal;

/// <summary>
/// The stored byte layout of journal rows. Events: per event a varint item key (from the item dictionary) and a
/// zig-zag varint of the time since the previous event (the first one since 0), so a click costs 3-6 bytes instead
/// of a string and a long. Offsets: varint partition, varint offset pairs.
/// </summary>
public static class EventPacking
{
    public static byte[] PackEvents(ReadOnlySpan<int> itemKeys, ReadOnlySpan<long> timestampsMs)
    {
        if (itemKeys.Length != timestampsMs.Length)
        {
            throw new ArgumentException("one timestamp per item key");
        }

        var buffer = new byte[itemKeys.Length * 15];
        var at = 0;
        var previous = 0L;
        for (var i = 0; i < itemKeys.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(itemKeys[i]);
            at = WriteVarint(buffer, at, (ulong)itemKeys[i]);
            at = WriteVarint(buffer, at, ZigZag(timestampsMs[i] - previous));
            previous = timestampsMs[i];
        }

        return buffer[..at];
    }

    /// <summary>Decodes <paramref name="count"/> events, appending them to the two lists.</summary>
    public static void UnpackEvents(ReadOnlySpan<byte> packed, int count, List<int> itemKeys, List<long> timestampsMs)
    {
        var at = 0;
        var previous = 0L;
        for (var i = 0; i < count; i++)
        {
            itemKeys.Add(checked((int)ReadVarint(packed, ref at)));
            previous += UnZigZag(ReadVarint(packed, ref at));
            timestampsMs.Add(previous);
        }

        if (at != packed.Length)
        {
            throw new InvalidDataException($"journal row holds {packed.Length} bytes; {count} events used {at}");
        }
    }

    public static byte[] PackOffsets(IReadOnlyList<LogPosition> offsets)
    {
        var buffer = new byte[offsets.Count * 15];
        var at = 0;
        foreach (var position in offsets)
        {
            at = WriteVarint(buffer, at, (ulong)position.Partition);
            at = WriteVarint(buffer, at, (ulong)position.Offset);
        }

        return buffer[..at];
    }

    /// <summary>Folds the packed offsets into <paramref name="highest"/>, keeping the highest per partition.</summary>
    public static void UnpackOffsets(ReadOnlySpan<byte> packed, Dictionary<int, long> highest)
    {
        var at = 0;
        while (at < packed.Length)
        {
            var partition = checked((int)ReadVarint(packed, ref at));
            var offset = checked((long)ReadVarint(packed, ref at));
            if (!highest.TryGetValue(partition, out var known) || offset > known)
            {
                highest[partition] = offset;
            }
        }
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static int WriteVarint(byte[] buffer, int at, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[at++] = (byte)value;
        return at;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> packed, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= packed.Length)
            {
                throw new InvalidDataException("journal row ends inside a number");
            }

            var b = packed[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("journal row holds a number longer than 64 bits");
    }
}
