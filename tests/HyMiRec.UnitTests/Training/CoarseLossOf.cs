using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>The coarse next-item loss settings of training options as one comparable pair, for the tests that check them.</summary>
internal static class CoarseLossOf
{
    public static (double Weight, int Positions) CoarseLoss(this HyMiRecTrainingOptions options) =>
        (options.CoarseNextItemWeight, options.CoarseNextItemPositions);
}
