namespace HyMiRec.Events;

/// <summary>
/// One click as the user grain receives it. <see cref="ItemId"/> is the catalog's own (external) item id;
/// <see cref="Source"/> says where in the Kafka log it came from, null for events posted through the HTTP API;
/// <see cref="LoggedAt"/> is when it entered the log (the Kafka message timestamp), the start of its freshness clock;
/// <see cref="EventId"/> is the producer's id for it (see <see cref="EventIds"/>), by which the HTTP intake drops repeats.
/// </summary>
[GenerateSerializer, Immutable, Alias("hymirec.click-event.v1")]
public sealed record ClickEvent(
    [property: Id(0)] string UserId,
    [property: Id(1)] string ItemId,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] string EventType,
    [property: Id(4)] LogPosition? Source,
    [property: Id(5)] DateTimeOffset? LoggedAt = null,
    [property: Id(6)] string? EventId = null);

/// <summary>Partition and offset of an event in the click topic; the user grain keeps the last applied per partition.</summary>
[GenerateSerializer, Immutable, Alias("hymirec.log-position.v1")]
public sealed record LogPosition(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset);
