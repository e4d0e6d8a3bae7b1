namespace HyMiRec.Silo.Hosting;

public enum ClusterMode
{
    /// <summary>Silos on one machine find each other through a primary silo's port (development, tests).</summary>
    Localhost,

    /// <summary>Membership in the PostgreSQL database of <see cref="StorageOptions.ConnectionString"/>.</summary>
    AdoNet,
}
