using System.Net;
using System.Net.Sockets;
using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Network;

/// <summary>
/// The embedded DNS server of one container (docker's 127.0.0.11): a UDP socket made inside the container's
/// network namespace, served by the container's monitor. Names from <see cref="NameCache"/> get A records
/// (AAAA and other types: an empty NOERROR); single-label names it does not know get NXDOMAIN at once; the rest
/// is forwarded from the host's namespace to the upstream servers (<c>--dns</c>, else the host's resolv.conf),
/// so even a host resolver on 127.0.0.53 is reachable. Containers only on internal networks get no forwarding.
/// </summary>
public sealed class DnsResponder : IDisposable
{
    public const string Address = "127.0.0.11";
    private static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(2);
    private readonly Socket _socket;
    private readonly NameCache _names;
    private readonly IReadOnlyList<IPEndPoint> _upstreams;
    private readonly CancellationTokenSource _stop = new();

    private DnsResponder(Socket socket, NameCache names, IReadOnlyList<IPEndPoint> upstreams)
    {
        _socket = socket;
        _names = names;
        _upstreams = upstreams;
    }

    /// <summary>Binds 127.0.0.11:53 inside the namespace at <paramref name="namespacePath"/> and starts answering.</summary>
    public static DnsResponder Start(string namespacePath, NameCache names, IEnumerable<string> upstreams)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        var socket = NetNs.InNamespace(namespacePath, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                s.Bind(new IPEndPoint(IPAddress.Parse(Address), 53));
                return s;
            }
            catch (SocketException e)
            {
                s.Dispose();
                throw StrataException.Unavailable(NetworkErrors.Setup, $"cannot start the container's DNS on {Address}:53: {e.Message}");
            }
        });
        var servers = upstreams.Select(u => IPAddress.TryParse(u, out var a) ? new IPEndPoint(a, 53) : null).OfType<IPEndPoint>().Take(3).ToList();
        var responder = new DnsResponder(socket, names, servers);
        _ = responder.ServeAsync();
        return responder;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            var buffer = new byte[1500];
            SocketReceiveFromResult r;
            try
            {
                r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = AnswerAsync(buffer, r.ReceivedBytes, r.RemoteEndPoint, ct);
        }
    }

    private async Task AnswerAsync(byte[] query, int length, EndPoint client, CancellationToken ct)
    {
        try
        {
            var reply = await ReplyAsync(query.AsMemory(0, length), ct).ConfigureAwait(false);
            if (reply is not null)
            {
                await _socket.SendToAsync(reply, SocketFlags.None, client, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
    }

    /// <summary>The reply to one query, or null to drop it (not a query).</summary>
    public async Task<byte[]?> ReplyAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        if (!DnsMessage.TryReadQuestion(query.Span, out var name, out var type, out var klass, out var end))
        {
            return null;
        }

        var bare = name.TrimEnd('.');
        if (klass == DnsMessage.ClassIn && await _names.FindAsync(bare, cancellationToken).ConfigureAwait(false) is { } ip)
        {
            return DnsMessage.Answer(query.Span, end, DnsMessage.NoError, type is DnsMessage.TypeA or DnsMessage.TypeAny ? [ip] : []);
        }

        if (!bare.Contains('.', StringComparison.Ordinal))
        {
            // A single label that is no container here: nothing upstream knows it either (systemd-resolved's rule too).
            return DnsMessage.Answer(query.Span, end, DnsMessage.NxDomain, []);
        }

        foreach (var upstream in _upstreams)
        {
            if (await ForwardAsync(upstream, query, cancellationToken).ConfigureAwait(false) is { } answer)
            {
                return answer;
            }
        }

        return DnsMessage.Answer(query.Span, end, DnsMessage.ServFail, []);
    }

    /// <summary>Sends the query as is from the host's namespace on a fresh socket (so IDs of concurrent clients never mix).</summary>
    private static async Task<byte[]?> ForwardAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        using var s = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(UpstreamTimeout);
        try
        {
            await s.ConnectAsync(upstream, timeout.Token).ConfigureAwait(false);
            await s.SendAsync(query, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            var n = await s.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return n >= 12 && buffer[0] == query.Span[0] && buffer[1] == query.Span[1] ? buffer[..n] : null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null;
        }
    }
}
