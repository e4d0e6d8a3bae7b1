namespace HyMiRec.Hosting.Api;

/// <summary>One element of the POST /v1/events body; <see cref="EventId"/> (optional) makes a retry of it harmless.</summary>
public sealed record EventRequest(string? UserId, string? ItemId, DateTimeOffset? Timestamp, string? EventType, string? EventId = null);
