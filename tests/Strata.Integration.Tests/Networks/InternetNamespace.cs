using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Networks;

/// <summary>
/// "The internet" for NAT tests, all on this machine: a network namespace with its own veth into the host
/// (host end 198.51.100.1/24, namespace end 198.51.100.2/24, TEST-NET-2, outside every Strata subnet) and a
/// busybox httpd in it whose CGI answers with the peer address it sees. Removed completely on dispose.
/// </summary>
public sealed class InternetNamespace : IAsyncDisposable
{
    public const string HostAddress = "198.51.100.1";
    public const string ServerAddress = "198.51.100.2";
    public const int Port = 8080;
    private readonly string _dir;
    private ServedProcess? _server;

    private InternetNamespace(string suffix, string dir)
    {
        Name = "strata-test-inet-" + suffix;
        HostVeth = "vinet" + suffix;
        _dir = dir;
    }

    public string Name { get; }

    public string HostVeth { get; }

    public static async Task<InternetNamespace> CreateAsync()
    {
        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var dir = Directory.CreateTempSubdirectory("strata-inet-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var inet = new InternetNamespace(suffix, dir);
        try
        {
            await IpAsync("netns", "add", inet.Name);
            await IpAsync("link", "add", inet.HostVeth, "type", "veth", "peer", "name", "eth0", "netns", inet.Name);
            await IpAsync("addr", "add", HostAddress + "/24", "dev", inet.HostVeth);
            await IpAsync("link", "set", inet.HostVeth, "up");
            await IpAsync("-n", inet.Name, "addr", "add", ServerAddress + "/24", "dev", "eth0");
            await IpAsync("-n", inet.Name, "link", "set", "eth0", "up");
            await IpAsync("-n", inet.Name, "link", "set", "lo", "up");
            var cgi = Path.Combine(dir, "cgi-bin");
            Directory.CreateDirectory(cgi);
            await File.WriteAllTextAsync(Path.Combine(cgi, "peer"), "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REMOTE_ADDR\"\n");
            File.SetUnixFileMode(Path.Combine(cgi, "peer"), (UnixFileMode)0b111_101_101);
            inet._server = ServedProcess.Start("ip", ["netns", "exec", inet.Name, "busybox", "httpd", "-f", "-p", $"{ServerAddress}:{Port}", "-h", dir]);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await Proc.RunAsync("ip", ["netns", "exec", inet.Name, "busybox", "wget", "-q", "-O", "-", $"http://{ServerAddress}:{Port}/cgi-bin/peer"])).ExitCode != 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("the test internet's httpd does not answer:\n" + inet._server.Output);
                }

                await Task.Delay(100);
            }

            return inet;
        }
        catch
        {
            await inet.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await Proc.RunAsync("ip", ["netns", "delete", Name]);
        await Proc.RunAsync("ip", ["link", "delete", HostVeth]);
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task IpAsync(params string[] args) =>
        (await Proc.RunAsync("ip", args)).EnsureSuccess("ip " + string.Join(' ', args));
}
