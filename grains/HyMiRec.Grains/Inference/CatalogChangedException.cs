namespace HyMiRec.Grains.Inference;

/// <summary>The model was replaced by one with another catalog between mapping a history and running it.</summary>
public sealed class CatalogChangedException() : Exception("the loaded model's catalog changed; map the history again");
