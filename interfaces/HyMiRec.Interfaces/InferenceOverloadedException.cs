namespace HyMiRec.Interfaces;

/// <summary>
/// The silo's inference queue is past its bound (Inference:MaxQueueLength): the request is refused at once rather
/// than left waiting without limit. The HTTP API answers 503 with Retry-After.
/// </summary>
[GenerateSerializer, Alias("hymirec.inference-overloaded.v1")]
public sealed class InferenceOverloadedException : Exception
{
    public InferenceOverloadedException()
        : base("the inference queue is full; retry shortly")
    {
    }

    public InferenceOverloadedException(string message)
        : base(message)
    {
    }

    public InferenceOverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
