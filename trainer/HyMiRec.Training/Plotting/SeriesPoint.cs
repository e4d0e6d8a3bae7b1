namespace HyMiRec.Training.Plotting;

/// <summary>One value to plot at a category (a setting, a metric); <see cref="Std"/> is set for multi-seed results.</summary>
public sealed record SeriesPoint(string Label, double Value, double? Std = null);
