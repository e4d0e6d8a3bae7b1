using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Hosting;

/// <summary>Configuration section "Dashboard": the Orleans Dashboard on the API's port (off by default: it adds a grain call filter).</summary>
public sealed class HyMiRecDashboardOptions
{
    public const string Section = "Dashboard";

    public bool Enabled { get; set; }

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/.*", ErrorMessage = "The field {0} must start with '/'.")]
    [Display(Name = Section + ":" + nameof(Path))]
    public string Path { get; set; } = "/dashboard";

    /// <summary>
    /// <see cref="Enabled"/> as configured. Read before the service container is built, because it decides whether
    /// the dashboard's grain call filter exists; <see cref="Path"/> is read through <c>IOptions</c>, validated.
    /// </summary>
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetSection(Section).GetValue<bool>(nameof(Enabled));
}
