using System.Collections.Concurrent;
using Npgsql;

namespace HyMiRec.Grains.Journal;

/// <summary>
/// The PostgreSQL item dictionary (hymirec_items): each external item id is stored once and journal rows hold its
/// small integer key. Keys are cached for the silo's lifetime (they never change); the cache also interns the id
/// strings, so every user's history shares one string per item.
/// </summary>
internal sealed class ItemKeys(NpgsqlDataSource database)
{
    private readonly ConcurrentDictionary<string, int> _keyById = new(StringComparer.Ordinal);
    private readonly Lock _growing = new();

    // Keys are dense identity values, so the reverse map is an array: reading a long history is an index per event.
    private volatile string?[] _idByKey = new string?[1024];

    public int KeyOf(string itemId) => _keyById[itemId];

    public string IdOf(int key) => Known(key) ?? throw new KeyNotFoundException($"item key {key} is not cached");

    private string? Known(int key)
    {
        var ids = _idByKey;
        return key >= 0 && key < ids.Length ? ids[key] : null;
    }

    private string Remember(int key, string id)
    {
        lock (_growing)
        {
            var ids = _idByKey;
            if (key >= ids.Length)
            {
                Array.Resize(ref ids, Math.Max(key + 1, ids.Length * 2));
            }

            var known = ids[key] ??= id;
            _idByKey = ids;
            return known;
        }
    }

    /// <summary>Makes sure every id has a key (inserting the new ones), so <see cref="KeyOf"/> answers for each.</summary>
    public async Task EnsureIdsAsync(IEnumerable<string> itemIds, CancellationToken cancellation)
    {
        var missing = itemIds.Where(id => !_keyById.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        // Look up first and insert only the absent ones: an insert that conflicts still burns an identity value.
        missing = await LoadByIdAsync(missing, cancellation).ConfigureAwait(false);
        if (missing.Length == 0)
        {
            return;
        }

        // Inserted in one order everywhere: an insert meeting a key another open insert holds waits for it, so two
        // flushes (or silos) taking overlapping new ids in opposite orders would deadlock.
        await using (var insert = database.CreateCommand(
            "INSERT INTO hymirec_items (external_id) SELECT id FROM unnest(@ids) AS id ORDER BY id ON CONFLICT (external_id) DO NOTHING"))
        {
            insert.Parameters.AddWithValue("ids", missing);
            await insert.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        var left = await LoadByIdAsync(missing, cancellation).ConfigureAwait(false);
        if (left.Length > 0)
        {
            throw new InvalidOperationException($"item ids without a dictionary key after insert: {string.Join(", ", left.Take(5))}");
        }
    }

    /// <summary>Makes sure every key's id is cached, so <see cref="IdOf"/> answers for each.</summary>
    public async Task EnsureKeysAsync(IEnumerable<int> keys, CancellationToken cancellation)
    {
        var missing = keys.Where(k => Known(k) is null).Distinct().ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        await using var select = database.CreateCommand("SELECT item_key, external_id FROM hymirec_items WHERE item_key = ANY(@keys)");
        select.Parameters.AddWithValue("keys", missing);
        await ReadPairsAsync(select, cancellation).ConfigureAwait(false);
        var absent = missing.Where(k => Known(k) is null).Take(5).ToArray();
        if (absent.Length > 0)
        {
            throw new InvalidDataException($"journal rows name item keys missing from hymirec_items: {string.Join(", ", absent)}");
        }
    }

    /// <summary>Caches the keys of <paramref name="itemIds"/> that exist; returns those that do not.</summary>
    private async Task<string[]> LoadByIdAsync(string[] itemIds, CancellationToken cancellation)
    {
        await using var select = database.CreateCommand("SELECT item_key, external_id FROM hymirec_items WHERE external_id = ANY(@ids)");
        select.Parameters.AddWithValue("ids", itemIds);
        await ReadPairsAsync(select, cancellation).ConfigureAwait(false);
        return itemIds.Where(id => !_keyById.ContainsKey(id)).ToArray();
    }

    private async Task ReadPairsAsync(NpgsqlCommand select, CancellationToken cancellation)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            var key = reader.GetInt32(0);
            var id = Remember(key, reader.GetString(1));
            _keyById[id] = key;
        }
    }
}
