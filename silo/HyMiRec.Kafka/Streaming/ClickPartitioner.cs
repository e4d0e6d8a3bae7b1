namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// librdkafka's default partitioner ("consistent_random"): CRC-32 of the key modulo the partition count. The queue
/// mapper uses it so that a user's Orleans queue is the Kafka partition a keyed producer writes that user to.
/// </summary>
public static class ClickPartitioner
{
    private static readonly uint[] Table = BuildTable();

    public static int PartitionFor(ReadOnlySpan<byte> key, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (int)(Crc32(key) % (uint)partitions);
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, as zlib computes it).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
