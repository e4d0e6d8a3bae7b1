using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Hosting;

/// <summary>Configuration section "Cluster".</summary>
public sealed class HyMiRecClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Orleans' own <c>ClusterMembershipOptions</c>, bound as they are named there.</summary>
    public const string MembershipSection = "Cluster:Membership";

    [EnumDataType(typeof(ClusterMode))]
    [Display(Name = Section + ":" + nameof(Mode))]
    public ClusterMode Mode { get; set; } = ClusterMode.Localhost;

    [Required(AllowEmptyStrings = false)]
    [Display(Name = Section + ":" + nameof(ClusterId))]
    public string ClusterId { get; set; } = "hymirec";

    [Required(AllowEmptyStrings = false)]
    [Display(Name = Section + ":" + nameof(ServiceId))]
    public string ServiceId { get; set; } = "hymirec";

    [Range(1, 65535)]
    [Display(Name = Section + ":" + nameof(SiloPort))]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    [Display(Name = Section + ":" + nameof(GatewayPort))]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Localhost mode: the silo port of the first silo; equal to <see cref="SiloPort"/> on that silo.</summary>
    [Range(0, 65535)]
    [Display(Name = Section + ":" + nameof(PrimarySiloPort))]
    public int PrimarySiloPort { get; set; }

    /// <summary>AdoNet mode: the address other silos reach this one at.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// <see cref="Mode"/> as configured. Read before the service container is built, because the mode decides which
    /// membership provider exists; ids, ports and addresses reach Orleans through <c>IOptions&lt;HyMiRecClusterOptions&gt;</c>,
    /// validated at start.
    /// </summary>
    public static ClusterMode ModeOf(IConfiguration configuration) =>
        configuration.GetSection(Section).GetValue(nameof(Mode), ClusterMode.Localhost);
}
