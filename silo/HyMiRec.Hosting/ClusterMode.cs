namespace HyMiRec.Hosting;

public enum ClusterMode
{
    /// <summary>Silos on one machine find each other through a primary silo's port (development, tests).</summary>
    Localhost,

    /// <summary>Membership in the PostgreSQL database of <see cref="StorageOptions.ConnectionString"/>.</summary>
    AdoNet,

    /// <summary>
    /// <see cref="AdoNet"/> membership plus Microsoft.Orleans.Hosting.Kubernetes: silo name, advertised address and
    /// cluster/service ids come from the pod (POD_NAME, POD_IP, ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID), and silos
    /// whose pods are gone are declared dead without waiting for the membership probes.
    /// </summary>
    Kubernetes,
}
