using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Oci;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata info</c>: store root, storage driver, counts, runtimes found, kernel and cgroup layout.</summary>
public static class InfoCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a Go template, or 'json'" };
        var cmd = new Command("info", "Display system-wide information");
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await globals.OpenEngineAsync(parse, ct);
            var images = await engine.Images.ListAsync(ct).CountAsync(ct);
            var blobs = 0;
            long bytes = 0;
            await foreach (var b in engine.Content.ListAsync(ct))
            {
                blobs++;
                bytes += b.Size;
            }

            var runtimes = new JsonObject();
            foreach (var r in new[] { "crun", "runc" })
            {
                runtimes[r] = await RuntimeVersionAsync(r, ct) is { } v ? new JsonObject { ["path"] = v.Path, ["version"] = v.Version } : null;
            }

            var defaultRuntime = engine.Options.Runtime ?? (runtimes["crun"] is not null ? "crun" : "runc");
            var info = new JsonObject
            {
                ["ServerVersion"] = SystemCommands.Version,
                ["DockerRootDir"] = Path.GetFullPath(engine.Root),
                ["Driver"] = (await engine.Images.SnapshotsAsync(ct))?.Driver ?? "none",
                ["Images"] = images,
                ["ContentBlobs"] = blobs,
                ["ContentBytes"] = bytes,
                ["Runtimes"] = runtimes,
                ["DefaultRuntime"] = defaultRuntime,
                ["RuntimeAvailable"] = runtimes[defaultRuntime] is not null,
                ["KernelVersion"] = Read("/proc/sys/kernel/osrelease"),
                ["OperatingSystem"] = OsName(),
                ["OSType"] = "linux",
                ["Architecture"] = Platform.Host.Architecture,
                ["NCPU"] = Environment.ProcessorCount,
                ["MemTotal"] = MemTotal(),
                ["CgroupVersion"] = CgroupLayout(),
                ["OverlaySupported"] = OverlaySupported(),
                ["SecurityOptions"] = new JsonArray([.. SecurityOptions().Select(o => (JsonNode)o)]),
            };
            if (parse.GetValue(format) is { } f)
            {
                Console.WriteLine(f == "json" ? info.ToJsonString(Strata.Cli.Output.CliJson.Compact) : GoTemplate.Parse(f).Render(info));
                return 0;
            }

            Console.WriteLine("Server:");
            Console.WriteLine($" Server Version: {info["ServerVersion"]}");
            Console.WriteLine($" Storage Driver: {info["Driver"]}");
            Console.WriteLine($"  Supports overlay: {(OverlaySupported() ? "true" : "false")}");
            Console.WriteLine($" Images: {images}");
            Console.WriteLine($" Content Store: {blobs} blobs, {Strata.Oci.Units.FormatSize(bytes)}");
            Console.WriteLine($" Runtimes: {string.Join(' ', runtimes.Where(kv => kv.Value is not null).Select(kv => kv.Key))}");
            foreach (var (name, v) in runtimes)
            {
                Console.WriteLine(v is null ? $"  {name}: not found" : $"  {name}: {v["path"]} ({v["version"]})");
            }

            Console.WriteLine($" Default Runtime: {defaultRuntime}" + (runtimes[defaultRuntime] is null ? " (not installed)" : string.Empty));
            Console.WriteLine($" Cgroup Version: {info["CgroupVersion"]}");
            Console.WriteLine(" Security Options:");
            foreach (var o in SecurityOptions())
            {
                var parts = o.Split(',');
                Console.WriteLine($"  {parts[0]["name=".Length..]}");
                foreach (var p in parts.Skip(1))
                {
                    var kv = p.Split('=', 2);
                    Console.WriteLine($"   {char.ToUpperInvariant(kv[0][0])}{kv[0][1..]}: {kv[1]}");
                }
            }

            Console.WriteLine($" Kernel Version: {info["KernelVersion"]}");
            Console.WriteLine($" Operating System: {info["OperatingSystem"]}");
            Console.WriteLine($" OSType: linux");
            Console.WriteLine($" Architecture: {Platform.Host.Architecture}");
            Console.WriteLine($" CPUs: {Environment.ProcessorCount}");
            Console.WriteLine($" Total Memory: {Strata.Oci.Units.FormatSize(MemTotal())}");
            Console.WriteLine($" Strata Root Dir: {info["DockerRootDir"]}");
            return 0;
        });
        return cmd;
    }

    private static async Task<(string Path, string Version)?> RuntimeVersionAsync(string name, CancellationToken ct)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(path, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is null)
            {
                return (path, "unknown");
            }

            var output = await p.StandardOutput.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            var first = output.Split('\n').FirstOrDefault(l => l.Contains("version", StringComparison.OrdinalIgnoreCase)) ?? output.Split('\n')[0];
            return (path, first.Trim());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (path, "unknown");
        }
    }

    /// <summary>Docker's <c>SecurityOptions</c> strings: <c>name=seccomp,profile=builtin</c>, <c>name=apparmor</c>, ...</summary>
    private static IEnumerable<string> SecurityOptions()
    {
        if (Strata.Runtime.Security.HostSecurity.AppArmorEnabled)
        {
            yield return "name=apparmor";
        }

        if (Strata.Runtime.Security.HostSecurity.SeccompSupported)
        {
            yield return "name=seccomp,profile=builtin";
        }
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "unknown";

    private static string OsName()
    {
        if (!File.Exists("/etc/os-release"))
        {
            return "linux";
        }

        var line = File.ReadAllLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return line is null ? "linux" : line["PRETTY_NAME=".Length..].Trim('"');
    }

    private static long MemTotal()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }

    private static bool OverlaySupported() =>
        File.Exists("/proc/filesystems") && File.ReadLines("/proc/filesystems").Any(l => l.TrimEnd().EndsWith("\toverlay", StringComparison.Ordinal));

    private static string CgroupLayout()
    {
        var v2 = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        var unified = Directory.Exists("/sys/fs/cgroup/unified");
        return v2 ? "2" : unified ? "1 (hybrid)" : "1";
    }

}
