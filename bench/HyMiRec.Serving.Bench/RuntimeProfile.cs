using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace HyMiRec.Serving.Bench;

/// <summary>Where the measured phase's allocations go, read from the runtime's own events (<c>--profile N</c>):
/// allocation ticks (one per ~100 KiB allocated, with the type that crossed it) summed by type. Only on when asked:
/// verbose GC events cost a few per cent.</summary>
internal sealed class RuntimeProfile : EventListener
{
    private const int AllocationTick = 10;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() => _recording = true;

    public IReadOnlyList<(string Type, long Bytes)> Stop(int top)
    {
        _recording = false;
        return _bytesByType.OrderByDescending(p => p.Value).Take(top).Select(p => (p.Key, p.Value)).ToList();
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // GC keyword (0x1); verbose level carries the allocation ticks.
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.Payload is null || e.PayloadNames is null)
        {
            return;
        }

        if (e.EventId == AllocationTick)
        {
            var type = Field(e, "TypeName") as string ?? "?";
            var bytes = Field(e, "AllocationAmount64") is ulong amount ? (long)amount : 0;
            _bytesByType.AddOrUpdate(type, bytes, (_, sum) => sum + bytes);
        }
    }

    private static object? Field(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames!.IndexOf(name);
        return index >= 0 ? e.Payload![index] : null;
    }
}
