using System.Net;
using System.Net.Sockets;

namespace Strata.Integration.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a loopback server, counting the bytes the server sends back and, while
/// <see cref="BytesPerSecond"/> is set, slowing them down: a slow registry for interrupted-pull tests.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private long _downstream;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Server-to-client rate limit; 0 for none.</summary>
    public long BytesPerSecond { get; set; }

    /// <summary>Bytes relayed from the server to clients since the last <see cref="ResetCount"/>.</summary>
    public long DownstreamBytes => Interlocked.Read(ref _downstream);

    public void ResetCount() => Interlocked.Exchange(ref _downstream, 0);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), done.Token);
                var down = DownAsync(server.GetStream(), client.GetStream(), done.Token);
                await Task.WhenAny(up, down);
                await done.CancelAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A side hung up (or the client was killed): the relay for this connection ends.
            }
        }
    }

    private async Task DownAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await from.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            Interlocked.Add(ref _downstream, n);
            if (BytesPerSecond > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)n / BytesPerSecond), cancellationToken);
            }
        }
    }
}
