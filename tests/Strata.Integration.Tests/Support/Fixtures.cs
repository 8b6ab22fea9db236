using System.Net;
using System.Net.Sockets;

namespace Strata.Integration.Tests.Support;

/// <summary>Shared test inputs built from the host with no network: a busybox root filesystem tarball.</summary>
public static class Fixtures
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _busyboxTar;

    /// <summary>A free TCP port on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>
    /// A ~2 MB root filesystem tar from busybox-static (bin/busybox + applet symlinks, etc/passwd, etc/group,
    /// tmp 1777), made once per test run, as docs/PEERS.md describes.
    /// </summary>
    public static async Task<string> BusyboxRootfsTarAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_busyboxTar is not null && File.Exists(_busyboxTar))
            {
                return _busyboxTar;
            }

            var dir = Directory.CreateTempSubdirectory("strata-busybox-").FullName;
            var root = System.IO.Path.Combine(dir, "rootfs");
            foreach (var d in new[] { "bin", "sbin", "usr/bin", "usr/sbin" })
            {
                Directory.CreateDirectory(System.IO.Path.Combine(root, d));
            }

            File.Copy("/bin/busybox", System.IO.Path.Combine(root, "bin", "busybox"));
            (await Proc.RunAsync("chroot", [root, "/bin/busybox", "--install", "-s"])).EnsureSuccess("busybox --install");
            Directory.CreateDirectory(System.IO.Path.Combine(root, "etc"));
            await File.WriteAllTextAsync(System.IO.Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
            await File.WriteAllTextAsync(System.IO.Path.Combine(root, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
            foreach (var d in new[] { "root", "tmp", "proc", "sys", "dev", "var", "home" })
            {
                Directory.CreateDirectory(System.IO.Path.Combine(root, d));
            }

            File.SetUnixFileMode(System.IO.Path.Combine(root, "tmp"), (UnixFileMode)0b1_111_111_111);
            var tar = System.IO.Path.Combine(dir, "busybox.tar");
            (await Proc.RunAsync("tar", ["-C", root, "--numeric-owner", "--sort=name", "-cf", tar, "."])).EnsureSuccess("tar");
            _busyboxTar = tar;
            return tar;
        }
        finally
        {
            Gate.Release();
        }
    }
}
