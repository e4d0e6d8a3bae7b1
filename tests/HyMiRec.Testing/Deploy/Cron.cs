namespace HyMiRec.Testing.Deploy;

/// <summary>The five-field cron syntax CronJob accepts (numbers, *, ranges, steps, lists, month/day names, @macros).</summary>
internal static class Cron
{
    private static readonly string[] Macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly (int Min, int Max)[] Ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];

    public static bool IsValid(string? schedule)
    {
        if (schedule is null)
        {
            return false;
        }

        if (Macros.Contains(schedule))
        {
            return true;
        }

        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 5 && fields.Select((f, i) => f.Split(',').All(part => IsValidPart(part, i))).All(ok => ok);
    }

    private static bool IsValidPart(string part, int field)
    {
        var slash = part.Split('/');
        if (slash.Length > 2 || (slash.Length == 2 && !(int.TryParse(slash[1], out var step) && step > 0)))
        {
            return false;
        }

        if (slash[0] is "*" or "?")
        {
            return true;
        }

        var bounds = slash[0].Split('-');
        if (bounds.Length > 2 || !bounds.All(b => Value(b, field) is not null))
        {
            return false;
        }

        return bounds.Length == 1 || Value(bounds[0], field) <= Value(bounds[1], field);
    }

    private static int? Value(string text, int field)
    {
        var names = field switch { 3 => Months, 4 => Days, _ => [] };
        var index = Array.IndexOf(names, text.ToUpperInvariant());
        if (index >= 0)
        {
            return field == 3 ? index + 1 : index;
        }

        return int.TryParse(text, out var value) && value >= Ranges[field].Min && value <= Ranges[field].Max ? value : null;
    }
}
