namespace HyMiRec.Model;

/// <summary>
/// An options property set outside its range. The options' own Validate holds each rule once; a command line that set
/// the property from a flag reports <see cref="Rule"/> under the flag's name (<see cref="ArgumentException.ParamName"/>
/// is the property), so the rule is not written again beside the flag.
/// </summary>
public sealed class OptionValueException : ArgumentException
{
    private readonly string? _text;

    public OptionValueException()
    {
    }

    public OptionValueException(string message)
        : base(message)
    {
    }

    public OptionValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="owner">The options type in words ("training options"), for callers that built them in code.</param>
    /// <param name="property">The property's name.</param>
    /// <param name="rule">What the value must be, and why where it is not obvious: "must be in [0, 1)".</param>
    public OptionValueException(string owner, string property, string rule)
        : base(rule, property)
    {
        Rule = rule;
        _text = $"{owner}: {property} {rule}";
    }

    /// <summary>The rule alone, without the property's name.</summary>
    public string Rule { get; } = string.Empty;

    /// <summary>"training options: WeightDecay must be ...", without the "(Parameter ...)" that ArgumentException appends.</summary>
    public override string Message => _text ?? base.Message;

    /// <summary>Throws for <paramref name="property"/> unless <paramref name="valid"/>.</summary>
    public static void Require(bool valid, string owner, string property, string rule)
    {
        if (!valid)
        {
            throw new OptionValueException(owner, property, rule);
        }
    }
}
