namespace HyMiRec.Silo.Hosting;

/// <summary>Configuration section "Dashboard": the Orleans Dashboard on the API's port (off by default: it adds a grain call filter).</summary>
public sealed class HyMiRecDashboardOptions
{
    public const string Section = "Dashboard";

    public bool Enabled { get; set; }

    public string Path { get; set; } = "/dashboard";
}
