using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Strata.Distribution.Tests.Support;

/// <summary>Which way bytes flow through the proxy.</summary>
public enum FaultDirection
{
    /// <summary>Client to registry (uploads).</summary>
    Request,

    /// <summary>Registry to client (downloads).</summary>
    Response,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a registry that resets a connection once it has carried a given number of
/// bytes in one direction (once, or every time), to test resumed downloads and uploads. It also records the
/// <c>Range</c> request headers it sees.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Lock _lock = new();
    private FaultDirection _direction;
    private long _threshold = long.MaxValue;
    private bool _always;
    private int _drops;

    public FaultProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Host => $"127.0.0.1:{Port}";

    public int Drops => Volatile.Read(ref _drops);

    /// <summary>Values of the Range headers requests carried, in order.</summary>
    public ConcurrentQueue<string> Ranges { get; } = new();

    /// <summary>Request lines seen (<c>PATCH /v2/...</c>), when the stream allowed reading them.</summary>
    public ConcurrentQueue<string> RequestLines { get; } = new();

    /// <summary>Resets the next connection that carries more than <paramref name="bytes"/> in <paramref name="direction"/>.</summary>
    public void DropOnce(FaultDirection direction, long bytes) => Arm(direction, bytes, always: false);

    /// <summary>Resets every connection that carries more than <paramref name="bytes"/> in <paramref name="direction"/>.</summary>
    public void DropAlways(FaultDirection direction, long bytes) => Arm(direction, bytes, always: true);

    public void Disarm() => Arm(FaultDirection.Request, long.MaxValue, false);

    private void Arm(FaultDirection direction, long bytes, bool always)
    {
        lock (_lock)
        {
            _direction = direction;
            _threshold = bytes;
            _always = always;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _clients.Add(client);
            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        _clients.Add(upstream);
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var a = PumpAsync(client, upstream, FaultDirection.Request, cts);
            var b = PumpAsync(upstream, client, FaultDirection.Response, cts);
            await Task.WhenAny(a, b);
            await cts.CancelAsync();
        }
        catch (Exception)
        {
            // Connections end in many ways here; the client sees what it sees.
        }
        finally
        {
            Reset(client);
            Reset(upstream);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, FaultDirection direction, CancellationTokenSource cts)
    {
        var buffer = new byte[64 * 1024];
        long carried = 0;
        var src = from.GetStream();
        var dst = to.GetStream();
        while (true)
        {
            var n = await src.ReadAsync(buffer, cts.Token);
            if (n == 0)
            {
                to.Client.Shutdown(SocketShutdown.Send);
                return;
            }

            if (direction == FaultDirection.Request)
            {
                Inspect(buffer.AsSpan(0, n));
            }

            bool drop;
            long allowed;
            lock (_lock)
            {
                drop = _direction == direction && carried + n > _threshold;
                allowed = _threshold - carried;
                if (drop && !_always)
                {
                    _threshold = long.MaxValue;
                }
            }

            if (drop)
            {
                if (allowed > 0)
                {
                    await dst.WriteAsync(buffer.AsMemory(0, (int)allowed), cts.Token);
                    await dst.FlushAsync(cts.Token);
                }

                Interlocked.Increment(ref _drops);
                Reset(from);
                Reset(to);
                return;
            }

            carried += n;
            await dst.WriteAsync(buffer.AsMemory(0, n), cts.Token);
        }
    }

    private void Inspect(ReadOnlySpan<byte> data)
    {
        var text = Encoding.Latin1.GetString(data);
        foreach (var line in text.Split("\r\n"))
        {
            if (line.StartsWith("Range: ", StringComparison.OrdinalIgnoreCase))
            {
                Ranges.Enqueue(line[7..]);
            }
            else if (line.StartsWith("GET /v2/", StringComparison.Ordinal) || line.StartsWith("PATCH /v2/", StringComparison.Ordinal)
                || line.StartsWith("PUT /v2/", StringComparison.Ordinal) || line.StartsWith("POST /v2/", StringComparison.Ordinal)
                || line.StartsWith("HEAD /v2/", StringComparison.Ordinal))
            {
                RequestLines.Enqueue(line);
            }
        }
    }

    private static void Reset(TcpClient c)
    {
        try
        {
            c.Client.LingerState = new LingerOption(true, 0);
            c.Close();
        }
        catch (Exception)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var c in _clients)
        {
            Reset(c);
        }

        _stop.Dispose();
    }
}
