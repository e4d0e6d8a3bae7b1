
namespace HyMiRec.UnitTests.Intake;

public sealed class EventIdsTests
{
    [Theory]
    [InlineData("0b8e5d1c-6f1a-4b7e-9a57-3c2f1e0d9b11")]
    [InlineData("01HZX3J5Q8M0V7K2N4P6R8T0W2")]
    [InlineData("a+b/c=d_e.f:g@h")]
    public void Accepts_uuids_ulids_and_base64_tokens(string id) => Assert.Null(EventIds.Problem(id));

    [Theory]
    [InlineData("", "non-empty")]
    [InlineData("has space", "ASCII")]
    [InlineData("caf\u00e9", "ASCII")]
    [InlineData("tab\there", "U+0009")]
    public void Refuses_empty_ids_and_characters_outside_the_charset(string id, string reason) =>
        Assert.Contains(reason, EventIds.Problem(id), StringComparison.Ordinal);

    [Fact]
    public void Bounds_the_length_so_that_ids_derived_from_a_key_fit_too()
    {
        Assert.Null(EventIds.Problem(new string('e', EventIds.MaxLength)));
        Assert.Contains("128", EventIds.Problem(new string('e', EventIds.MaxLength + 1)), StringComparison.Ordinal);
        var key = new string('k', EventIds.MaxKeyLength);
        Assert.Null(EventIds.KeyProblem(key));
        Assert.NotNull(EventIds.KeyProblem(key + "k"));
        Assert.Null(EventIds.Problem(EventIds.Derive(key, 9_999)));
        Assert.Equal("req-7/3", EventIds.Derive("req-7", 3));
    }
}
