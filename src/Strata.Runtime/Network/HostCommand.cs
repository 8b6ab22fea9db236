using System.Diagnostics;
using Strata.Oci;

namespace Strata.Runtime.Network;

/// <summary>Runs the host's network tools (<c>ip</c>, <c>nft</c>, <c>iptables</c>) and returns their exit code and output.</summary>
internal static class HostCommand
{
    private static readonly string[] SearchPath = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The tool's full path, or null when it is not installed.</summary>
    public static string? Find(string tool) => SearchPath.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    public static async Task<(int Code, string Output)> RunAsync(string tool, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var path = Find(tool) ?? throw StrataException.Unavailable(NetworkErrors.Setup, $"cannot run {tool}: not installed");
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi) ?? throw StrataException.Unavailable(NetworkErrors.Setup, $"cannot run {tool}");
            if (stdin is not null)
            {
                await p.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
                p.StandardInput.Close();
            }

            var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
            await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (p.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw StrataException.Unavailable(NetworkErrors.Setup, $"cannot run {tool}: {e.Message}");
        }
    }

    /// <summary>Runs <c>ip ARGS</c>; a failure is a <see cref="NetworkErrors.Setup"/> error with ip's message.</summary>
    public static async Task IpAsync(CancellationToken cancellationToken, params string[] args)
    {
        var (code, output) = await RunAsync("ip", args, null, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw StrataException.Unavailable(NetworkErrors.Setup, $"ip {string.Join(' ', args)}: {output.Trim()}");
        }
    }

    /// <summary>Runs <c>ip ARGS</c> where failure is expected sometimes (already gone).</summary>
    public static Task<(int Code, string Output)> TryIpAsync(CancellationToken cancellationToken, params string[] args) =>
        RunAsync("ip", args, null, cancellationToken);
}
