using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Silo.Hosting;

/// <summary>Configuration section "Cluster".</summary>
public sealed class HyMiRecClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Orleans' own <c>ClusterMembershipOptions</c>, bound as they are named there.</summary>
    public const string MembershipSection = "Cluster:Membership";

    public ClusterMode Mode { get; set; } = ClusterMode.Localhost;

    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "hymirec";

    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "hymirec";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Localhost mode: the silo port of the first silo; equal to <see cref="SiloPort"/> on that silo.</summary>
    [Range(0, 65535)]
    public int PrimarySiloPort { get; set; }

    /// <summary>AdoNet mode: the address other silos reach this one at.</summary>
    public string? AdvertisedAddress { get; set; }
}
