using System.Text;

namespace HyMiRec.UnitTests.Kafka;

public sealed class ClickEventCodecTests
{
    private static readonly LogPosition Position = new(2, 41);
    private readonly ClickEventCodec _codec = new(maxMessageBytes: 256);

    private ClickDecodeResult Decode(string json, string? key = "u1") =>
        _codec.Decode(key is null ? null : Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(json), Position);

    [Fact]
    public void Accepts_an_iso_timestamp_and_defaults_the_event_type()
    {
        var result = Decode("""{"userId":"u1","itemId":"i9","timestamp":"2024-05-01T12:00:00.250+02:00"}""");
        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(new ClickEvent("u1", "i9", new DateTimeOffset(2024, 5, 1, 10, 0, 0, 250, TimeSpan.Zero), "click", Position), result.Click);
    }

    [Fact]
    public void Accepts_unix_milliseconds_schema_1_an_event_type_and_unknown_fields()
    {
        var result = Decode("""{"schema":1,"userId":"u1","itemId":"i9","timestamp":1700000000123,"eventType":"view","extra":{"a":[1]}}""");
        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), result.Click.Timestamp);
        Assert.Equal("view", result.Click.EventType);
    }

    [Fact]
    public void Refuses_what_the_user_grain_would_refuse_with_the_shared_rules()
    {
        var codec = new ClickEventCodec(maxMessageBytes: 1024);
        ClickDecodeResult For(string user, string item) =>
            codec.Decode(Encoding.UTF8.GetBytes(user), ClickEventCodec.Encode(new ClickEvent(user, item, DateTimeOffset.UnixEpoch, "click", null)), Position);

        Assert.Equal("invalid-user-id", For(new string('u', UserIds.MaxLength + 1), "i").Rejection!.Code);
        Assert.Equal("invalid-user-id", For("tab\there", "i").Rejection!.Code);
        Assert.Equal("invalid-item-id", For("u", new string('i', ItemIds.MaxLength + 1)).Rejection!.Code);
        Assert.Contains("control", For("a\u0001b", "i").Rejection!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_too_far_ahead_of_the_silo_clock_are_refused_and_old_ones_kept()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var codec = new ClickEventCodec(1024, TimeSpan.FromDays(1), clock);
        ClickDecodeResult At(DateTimeOffset at) =>
            codec.Decode("u"u8.ToArray(), ClickEventCodec.Encode(new ClickEvent("u", "i", at, "click", null)), Position);

        Assert.True(At(new DateTimeOffset(1997, 9, 20, 3, 5, 10, TimeSpan.Zero)).IsAccepted);
        Assert.True(At(clock.GetUtcNow().AddHours(23)).IsAccepted);
        var future = At(clock.GetUtcNow().AddHours(25)).Rejection!;
        Assert.Equal("future-timestamp", future.Code);
        Assert.Contains("ahead", future.Detail, StringComparison.Ordinal);
        Assert.True(new ClickEventCodec(1024).Decode("u"u8.ToArray(), ClickEventCodec.Encode(new ClickEvent("u", "i", DateTimeOffset.UtcNow.AddYears(5), "click", null)), Position).IsAccepted);
    }

    [Fact]
    public void Encode_then_decode_gives_back_the_same_click()
    {
        var click = new ClickEvent("user é", "item/7", new DateTimeOffset(2023, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)).AddTicks(1234), "purchase", null);
        var result = _codec.Decode(ClickEventCodec.EncodeKey(click.UserId), ClickEventCodec.Encode(click), Position);
        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(click with { Source = Position }, result.Click);
        Assert.Equal(click.Timestamp.UtcTicks, result.Click.Timestamp.UtcTicks);
    }

    [Theory]
    [InlineData("{not json", RejectionReason.MalformedJson)]
    [InlineData("", RejectionReason.MalformedJson)]
    [InlineData("""[{"userId":"u1"}]""", RejectionReason.MalformedJson)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":1} trailing""", RejectionReason.MalformedJson)]
    [InlineData("""{"itemId":"i","timestamp":1}""", RejectionReason.MissingField)]
    [InlineData("""{"userId":"u1","timestamp":1}""", RejectionReason.MissingField)]
    [InlineData("""{"userId":"u1","itemId":"i"}""", RejectionReason.MissingField)]
    [InlineData("""{"userId":null,"itemId":"i","timestamp":1}""", RejectionReason.MissingField)]
    [InlineData("""{"userId":"u1","itemId":"","timestamp":1}""", RejectionReason.EmptyField)]
    [InlineData("""{"userId":"u1","itemId":"  ","timestamp":1}""", RejectionReason.EmptyField)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":1,"eventType":""}""", RejectionReason.EmptyField)]
    [InlineData("""{"schema":2,"userId":"u1","itemId":"i","timestamp":1}""", RejectionReason.UnknownSchema)]
    [InlineData("""{"schema":"1","userId":"u1","itemId":"i","timestamp":1}""", RejectionReason.UnknownSchema)]
    [InlineData("""{"userId":"u1","itemId":42,"timestamp":1}""", RejectionReason.UnknownSchema)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":true}""", RejectionReason.UnknownSchema)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":1,"eventType":3}""", RejectionReason.UnknownSchema)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":"2024-05-01T12:00:00"}""", RejectionReason.InvalidTimestamp)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":"2024-05-01"}""", RejectionReason.InvalidTimestamp)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":"yesterday"}""", RejectionReason.InvalidTimestamp)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":1.5}""", RejectionReason.InvalidTimestamp)]
    [InlineData("""{"userId":"u1","itemId":"i","timestamp":99999999999999999}""", RejectionReason.InvalidTimestamp)]
    [InlineData("""{"userId":"u2","itemId":"i","timestamp":1}""", RejectionReason.KeyMismatch)]
    public void Rejects_with_the_precise_reason(string json, RejectionReason expected)
    {
        var result = Decode(json);
        Assert.False(result.IsAccepted);
        Assert.Equal(expected, result.Rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Detail));
    }

    [Fact]
    public void Rejects_a_message_without_a_key()
    {
        var result = Decode("""{"userId":"u1","itemId":"i","timestamp":1}""", key: null);
        Assert.Equal(RejectionReason.KeyMismatch, result.Rejection?.Reason);
    }

    [Fact]
    public void Rejects_invalid_utf8_as_malformed_and_a_non_utf8_key_as_mismatch()
    {
        var bad = _codec.Decode([0x75], [0x7B, 0xFF, 0x7D], Position);
        Assert.Equal(RejectionReason.MalformedJson, bad.Rejection?.Reason);
        var badKey = _codec.Decode([0xC3, 0x28], Encoding.UTF8.GetBytes("""{"userId":"u1","itemId":"i","timestamp":1}"""), Position);
        Assert.Equal(RejectionReason.KeyMismatch, badKey.Rejection?.Reason);
    }

    [Fact]
    public void Rejects_messages_over_the_configured_limit_and_accepts_one_at_it()
    {
        var prefix = "{\"userId\":\"u1\",\"itemId\":\"i\",\"timestamp\":1,\"pad\":\"";
        var atLimit = prefix + new string('x', 256 - prefix.Length - 2) + "\"}";
        Assert.Equal(256, Encoding.UTF8.GetByteCount(atLimit));
        Assert.True(Decode(atLimit).IsAccepted, Decode(atLimit).Rejection?.ToString());
        var over = Decode(prefix + new string('x', 256 - prefix.Length - 1) + "\"}");
        Assert.Equal(RejectionReason.Oversized, over.Rejection?.Reason);
        Assert.Contains("257", over.Rejection!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_codes_are_distinct_kebab_case()
    {
        var codes = Enum.GetValues<RejectionReason>().Select(ClickRejection.ToCode).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z]+(-[a-z]+)*$", c));
    }
}
