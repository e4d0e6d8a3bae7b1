using HyMiRec.Model.Serving;

namespace HyMiRec.UnitTests.Serving;

public sealed class HistoryWindowTests
{
    [Theory]
    [InlineData(5, 8, 4, 0)] // shorter than the window: everything
    [InlineData(8, 8, 4, 0)]
    [InlineData(9, 8, 4, 4)] // event 0 must go; the start rounds up to the next step
    [InlineData(12, 8, 4, 4)] // exactly the window
    [InlineData(13, 8, 4, 8)]
    [InlineData(30, 8, 1, 22)] // stride 1: the newest 8
    [InlineData(30, 8, 8, 24)]
    public void A_strided_window_starts_at_the_first_step_that_leaves_at_most_max_events(long events, int max, int stride, long start)
    {
        Assert.Equal(start, HistoryWindow.StrideStart(events, max, stride));
    }

    [Fact]
    public void Every_strided_window_holds_between_max_minus_stride_plus_one_and_max_of_the_newest_events()
    {
        for (var events = 16L; events < 200; events++)
        {
            var held = events - HistoryWindow.StrideStart(events, max: 16, stride: 5);
            Assert.InRange(held, 12, 16);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(8, 0)]
    [InlineData(8, 9)]
    public void Window_sizes_and_strides_out_of_range_are_refused(int max, int stride)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HistoryWindow.StrideStart(10, max, stride));
    }

    [Theory]
    [InlineData(0, 1024, 64)] // automatic: a sixteenth of the window
    [InlineData(0, 200, 12)]
    [InlineData(0, 10, 1)] // a window under 16 events moves exactly
    [InlineData(1, 1024, 1)]
    [InlineData(256, 1024, 256)]
    [InlineData(5000, 1024, 1024)] // never more than the window
    public void The_stride_is_the_configured_one_or_a_sixteenth_of_the_window(int configured, int max, int stride)
    {
        Assert.Equal(stride, HistoryWindow.Stride(configured, max));
    }
}
