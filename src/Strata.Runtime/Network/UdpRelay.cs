using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Network;

/// <summary>
/// A published UDP port (<c>-p HOST:CTR/udp</c>), userspace like the TCP forwarder: datagrams arriving at the host
/// socket go, per client address, through a socket made inside the container's namespace to the container port on
/// its loopback; replies on that socket go back to the client from the published port. A client's session ends
/// after 60 s without traffic (conntrack's UDP stream timeout is 120 s; docker-proxy uses 90 s).
/// </summary>
internal sealed class UdpRelay : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(60);
    private readonly Socket _listener;
    private readonly int _containerPort;
    private readonly ConcurrentDictionary<EndPoint, Session> _sessions = new();
    private readonly CancellationTokenSource _stop = new();

    public UdpRelay(Socket listener, int containerPort)
    {
        _listener = listener;
        _containerPort = containerPort;
    }

    /// <summary>Relays into the network namespace of process <paramref name="pid"/>.</summary>
    public void Start(int pid) => _ = ServeAsync(pid, _stop.Token);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var s in _sessions.Values)
        {
            s.Socket.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(int pid, CancellationToken ct)
    {
        var buffer = new byte[65536];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _listener.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            try
            {
                var session = _sessions.GetOrAdd(r.RemoteEndPoint, client => Open(pid, client, ct));
                session.LastUsed = DateTime.UtcNow;
                await session.Socket.SendAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or Strata.Oci.StrataException or ObjectDisposedException)
            {
            }
        }
    }

    private Session Open(int pid, EndPoint client, CancellationToken ct)
    {
        var inner = NetNs.InNamespaceOf(pid, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Connect(new IPEndPoint(IPAddress.Loopback, _containerPort));
            return s;
        });
        var session = new Session(inner);
        _ = RepliesAsync(session, client, ct);
        return session;
    }

    private async Task RepliesAsync(Session session, EndPoint client, CancellationToken ct)
    {
        var buffer = new byte[65536];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(Idle);
                int n;
                try
                {
                    n = await session.Socket.ReceiveAsync(buffer, SocketFlags.None, idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    if (DateTime.UtcNow - session.LastUsed < Idle)
                    {
                        continue;
                    }

                    return;
                }
                catch (SocketException)
                {
                    continue; // ICMP port unreachable while nothing listens in the container yet
                }

                await _listener.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, client, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _sessions.TryRemove(client, out _);
            session.Socket.Dispose();
        }
    }

    private sealed class Session(Socket socket)
    {
        public Socket Socket { get; } = socket;

        public DateTime LastUsed { get; set; } = DateTime.UtcNow;
    }
}
