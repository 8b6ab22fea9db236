using System.Net;
using System.Net.Sockets;
using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary>
/// Publishes <c>-p</c> ports without touching the host's firewall: the monitor listens on the host address
/// (127.0.0.1 by default) and for each connection opens a socket inside the container's network namespace to
/// the container port on its loopback, then copies bytes both ways (as rootlessport/slirp do for podman).
/// </summary>
internal sealed class PortForwarder : IDisposable
{
    private readonly IReadOnlyList<PortMapping> _ports;
    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stop = new();

    public PortForwarder(IReadOnlyList<PortMapping> ports) => _ports = ports;

    /// <summary>Binds every host port now, so a port in use fails the start.</summary>
    public void Bind()
    {
        foreach (var p in _ports)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // SO_REUSEADDR alone (.NET's ReuseAddress also sets SO_REUSEPORT, which would let a second container share the port).
                s.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
                s.Bind(new IPEndPoint(IPAddress.Parse(p.HostIp), p.HostPort));
                s.Listen(128);
                _listeners.Add(s);
            }
            catch (SocketException e)
            {
                s.Dispose();
                throw StrataException.Unavailable("PORT_BIND", $"cannot publish {p}: {p.HostIp}:{p.HostPort}: {e.Message}");
            }
        }
    }

    /// <summary>Starts forwarding into the network namespace of the container's process <paramref name="pid"/>.</summary>
    public void Start(int pid)
    {
        for (var i = 0; i < _listeners.Count; i++)
        {
            _ = AcceptLoopAsync(_listeners[i], _ports[i], pid, _stop.Token);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var l in _listeners)
        {
            l.Dispose();
        }

        _stop.Dispose();
    }

    private static async Task AcceptLoopAsync(Socket listener, PortMapping port, int pid, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ForwardAsync(client, port, pid, cancellationToken);
        }
    }

    private static async Task ForwardAsync(Socket client, PortMapping port, int pid, CancellationToken cancellationToken)
    {
        using (client)
        {
            Socket inner;
            try
            {
                inner = NetNs.InNamespaceOf(pid, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            }
            catch (StrataException)
            {
                return;
            }

            using (inner)
            {
                try
                {
                    await inner.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port.ContainerPort), cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    return;
                }

                await using var a = new NetworkStream(client, ownsSocket: false);
                await using var b = new NetworkStream(inner, ownsSocket: false);
                var up = CopyAsync(a, b, inner, cancellationToken);
                var down = CopyAsync(b, a, client, cancellationToken);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, Socket toSocket, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
