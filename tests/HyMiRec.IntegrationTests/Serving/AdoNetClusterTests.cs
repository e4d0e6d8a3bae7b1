using HyMiRec.Interfaces;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class AdoNetClusterTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [PostgresFact]
    public async Task TwoSilosShareMembershipAndGrainsMoveWithTheirState()
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = postgres.CreateDatabase(),
            ["Cluster:Mode"] = "AdoNet",
            ["Cluster:ClusterId"] = "two-silos",
        };
        var users = Enumerable.Range(0, 12).Select(i => $"mover-{i}").ToArray();
        await using var second = await ServingSilo.StartAsync(settings);
        var first = await ServingSilo.StartAsync(settings);
        try
        {
            await Eventually.TrueAsync(
                async () => (await first.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == 2,
                "both silos active in the membership table");
            foreach (var user in users)
            {
                await first.Client.GetGrain<IUserGrain>(user).AppendAsync(Clicks.For(user, 4, partition: 0, firstOffset: 10));
            }
        }
        finally
        {
            // Whatever lived on the first silo is reactivated on the second from PostgreSQL.
            await first.DisposeAsync();
        }

        foreach (var user in users)
        {
            var grain = second.Client.GetGrain<IUserGrain>(user);
            Assert.Equal(4, (await grain.GetHistoryAsync(10)).Count);
            Assert.Equal(4, (await grain.AppendAsync(Clicks.For(user, 4, partition: 0, firstOffset: 10))).Duplicates);
        }

        // An external client (the CLI's --cluster-connection, the trainer's registry call) finds the gateways in PostgreSQL.
        await using var external = await HyMiRec.Client.ClientConnection.ConnectAdoNetAsync(settings["Storage:ConnectionString"], clusterId: "two-silos");
        Assert.Equal(4, (await external.ClusterClient.GetGrain<IUserGrain>(users[0]).GetHistoryAsync(10)).Count);
    }
}
