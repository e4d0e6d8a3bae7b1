using HyMiRec.Interfaces;

namespace HyMiRec.Grains.Users;

/// <summary>Interests a user grain holds: computed over the first <paramref name="EventsSeen"/> events of its history.</summary>
public sealed record ComputedInterests(InterestsResult Result, long EventsSeen, DateTimeOffset ComputedAt);
