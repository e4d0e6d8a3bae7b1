namespace HyMiRec.Silo.Api;

/// <summary>One element of the POST /v1/events body.</summary>
public sealed record EventRequest(string? UserId, string? ItemId, DateTimeOffset? Timestamp, string? EventType);
