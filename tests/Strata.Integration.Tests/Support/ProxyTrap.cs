using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Strata.Integration.Tests.Support;

/// <summary>
/// An HTTP(S) proxy on 127.0.0.1 that forwards nothing: it records the first line of every request
/// (<c>CONNECT registry-1.docker.io:443 HTTP/1.1</c>) and answers 403. Pointing <c>HTTPS_PROXY</c> at it proves
/// which hosts a client tried to reach without any packet leaving the machine.
/// </summary>
public sealed class ProxyTrap : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private readonly Task _accept;

    public ProxyTrap()
    {
        _listener.Start();
        _accept = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Environment for a client process: every non-127.0.0.1 destination goes to the trap.</summary>
    public IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["HTTPS_PROXY"] = Url.ToString(),
        ["HTTP_PROXY"] = Url.ToString(),
        ["https_proxy"] = Url.ToString(),
        ["http_proxy"] = Url.ToString(),
        ["NO_PROXY"] = "127.0.0.1",
        ["no_proxy"] = "127.0.0.1",
    };

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

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
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                        var line = await reader.ReadLineAsync(_stop.Token);
                        lock (_requests)
                        {
                            _requests.Add(line ?? string.Empty);
                        }

                        await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                    {
                    }
                }
            });
        }
    }
}
