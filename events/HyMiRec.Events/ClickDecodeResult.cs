using System.Diagnostics.CodeAnalysis;

namespace HyMiRec.Events;

/// <summary>Either a decoded click or the reason it was rejected; exactly one is set.</summary>
public readonly record struct ClickDecodeResult
{
    private ClickDecodeResult(ClickEvent? click, ClickRejection? rejection)
    {
        Click = click;
        Rejection = rejection;
    }

    public ClickEvent? Click { get; }

    public ClickRejection? Rejection { get; }

    [MemberNotNullWhen(true, nameof(Click))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsAccepted => Click is not null;

    public static ClickDecodeResult Accept(ClickEvent click) => new(click, null);

    public static ClickDecodeResult Reject(RejectionReason reason, string detail) => new(null, new ClickRejection(reason, detail));
}
