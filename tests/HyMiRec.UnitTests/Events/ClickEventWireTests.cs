using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace HyMiRec.UnitTests.Events;

/// <summary>
/// ClickEvent and LogPosition moved assembly (HyMiRec.Interfaces to HyMiRec.Events); Orleans finds a type by its
/// alias, so bytes written before the move (captured from the old code, serialized as object so the alias is on the
/// wire) must still read back.
/// </summary>
public sealed class ClickEventWireTests
{
    private const string ClickBeforeMove =
        "MAHp5Cl7LWh5bWlyZWMuY2xpY2stZXZlbnQudjHoQA11c2VyLTdBD2l0ZW0tNDIhgABgMTrWadwIgQDQiMMQAAAA4EELY2xpY2sh6AANAZIm4CGAgCZBd8Vp3AiBAAAAAAAAAADgQQtldnQtMeA=";

    private const string PositionBeforeMove = "MAENEC/JL2h5bWlyZWMubG9nLXBvc2l0aW9uLnYx6AAFARoD4A==";

    [Fact]
    public void Click_written_before_the_move_reads_back()
    {
        var read = Serializer().Deserialize<object>(Convert.FromBase64String(ClickBeforeMove));

        var click = Assert.IsType<ClickEvent>(read);
        Assert.Equal(
            new ClickEvent("user-7", "item-42", new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)), "click",
                new LogPosition(3, 1234), new DateTimeOffset(2024, 5, 1, 10, 0, 1, TimeSpan.Zero), "evt-1"),
            click);
    }

    [Fact]
    public void Log_position_written_before_the_move_reads_back()
    {
        var read = Serializer().Deserialize<object>(Convert.FromBase64String(PositionBeforeMove));

        Assert.Equal(new LogPosition(1, 99), Assert.IsType<LogPosition>(read));
    }

    private static Serializer Serializer() =>
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
}
