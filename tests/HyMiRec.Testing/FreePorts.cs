using System.Net;
using System.Net.Sockets;

namespace HyMiRec.Testing;

public static class FreePorts
{
    /// <summary>Ports the OS reports free now (all taken at once, so they differ from each other).</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners)
            {
                l.Start();
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners)
            {
                l.Stop();
            }
        }
    }
}
