using System.Text;
using System.Text.Json;

namespace HyMiRec.UnitTests.Kafka;

/// <summary>The optional eventId of format v1: written only when a click has one, read with and without it.</summary>
public sealed class ClickEventIdCodecTests
{
    private static readonly LogPosition Position = new(0, 7);
    private readonly ClickEventCodec _codec = new();

    private ClickDecodeResult Decode(string json) => _codec.Decode("u1"u8.ToArray(), Encoding.UTF8.GetBytes(json), Position);

    [Fact]
    public void A_click_with_an_event_id_round_trips()
    {
        var click = new ClickEvent("u1", "i9", DateTimeOffset.UnixEpoch.AddDays(3), "click", null, EventId: "evt-42");
        var bytes = ClickEventCodec.Encode(click);
        Assert.Equal("evt-42", JsonDocument.Parse(bytes).RootElement.GetProperty("eventId").GetString());
        var decoded = _codec.Decode(ClickEventCodec.EncodeKey("u1"), bytes, Position);
        Assert.True(decoded.IsAccepted, decoded.Rejection?.ToString());
        Assert.Equal(click with { Source = Position }, decoded.Click);
    }

    [Fact]
    public void A_click_without_one_is_written_as_before_and_old_messages_stay_readable()
    {
        var bytes = ClickEventCodec.Encode(new ClickEvent("u1", "i9", DateTimeOffset.UnixEpoch, "click", null));
        Assert.False(JsonDocument.Parse(bytes).RootElement.TryGetProperty("eventId", out _));
        var old = Decode("""{"schema":1,"userId":"u1","itemId":"i9","timestamp":"2024-05-01T12:00:00Z","eventType":"click"}""");
        Assert.True(old.IsAccepted, old.Rejection?.ToString());
        Assert.Null(old.Click.EventId);
    }

    [Theory]
    [InlineData("""{"userId":"u1","itemId":"i9","timestamp":0,"eventId":"has space"}""", "invalid-event-id")]
    [InlineData("""{"userId":"u1","itemId":"i9","timestamp":0,"eventId":""}""", "empty-field")]
    [InlineData("""{"userId":"u1","itemId":"i9","timestamp":0,"eventId":17}""", "unknown-schema")]
    public void A_bad_event_id_is_rejected_with_its_reason(string json, string code) =>
        Assert.Equal(code, Decode(json).Rejection!.Code);
}
