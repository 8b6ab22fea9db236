using System.CommandLine;
using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Cli.Commands.Containers;

/// <summary>The flags <c>create</c> and <c>run</c> share, with docker's names.</summary>
public sealed class RunFlags
{
    public Argument<string> Image { get; } = new("image") { Description = "IMAGE" };

    public Argument<string[]> Command { get; } = new("command") { Description = "COMMAND [ARG...]", Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> Name { get; } = new("--name") { Description = "Assign a name to the container" };

    public Option<bool> Interactive { get; } = new("--interactive", "-i") { Description = "Keep STDIN open even if not attached" };

    public Option<bool> Tty { get; } = new("--tty", "-t") { Description = "Allocate a pseudo-TTY" };

    public Option<string[]> Env { get; } = new("--env", "-e") { Description = "Set environment variables", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> EnvFile { get; } = new("--env-file") { Description = "Read in a file of environment variables" };

    public Option<string?> Entrypoint { get; } = new("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image" };

    public Option<string?> Workdir { get; } = new("--workdir", "-w") { Description = "Working directory inside the container" };

    public Option<string?> User { get; } = new("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };

    public Option<string?> Hostname { get; } = new("--hostname", "-h") { Description = "Container host name" };

    public Option<string> Network { get; } = new("--network", "--net") { Description = "Connect a container to a network: bridge (default), none, host or a network's name", DefaultValueFactory = _ => "bridge" };

    public Option<string[]> NetworkAlias { get; } = new("--network-alias") { Description = "Add network-scoped alias for the container" };

    public Option<string?> Ip { get; } = new("--ip") { Description = "IPv4 address (e.g., 172.30.100.104)" };

    public Option<string?> MacAddress { get; } = new("--mac-address") { Description = "Container MAC address (e.g., 92:d0:c6:0a:29:33)" };

    public Option<string[]> AddHost { get; } = new("--add-host") { Description = "Add a custom host-to-IP mapping (host:ip, ip may be host-gateway)" };

    public Option<string[]> Dns { get; } = new("--dns") { Description = "Set custom DNS servers" };

    public Option<string[]> DnsSearch { get; } = new("--dns-search") { Description = "Set custom DNS search domains" };

    public Option<string[]> DnsOption { get; } = new("--dns-option") { Description = "Set DNS options" };

    public Option<string[]> Link { get; } = new("--link") { Description = "Add link to another container (name[:alias])" };

    public Option<string[]> Volume { get; } = new("--volume", "-v") { Description = "Bind mount a volume (NAME:/path[:ro], /host:/path[:ro], /path)" };

    public Option<string[]> Mount { get; } = new("--mount") { Description = "Attach a filesystem mount (type=volume|bind|tmpfs,source=..,target=..[,readonly])" };

    public Option<string[]> Tmpfs { get; } = new("--tmpfs") { Description = "Mount a tmpfs directory (/path[:size=64m])" };

    public Option<string[]> Publish { get; } = new("--publish", "-p") { Description = "Publish a container's port to the host ([IP:]HOST:CONTAINER[/tcp]; 127.0.0.1 unless an IP is given)" };

    public Option<string?> Memory { get; } = new("--memory", "-m") { Description = "Memory limit (e.g. 64m)" };

    public Option<string?> MemorySwap { get; } = new("--memory-swap") { Description = "Swap limit equal to memory plus swap: -1 for unlimited" };

    public Option<string?> Cpus { get; } = new("--cpus") { Description = "Number of CPUs" };

    public Option<long> CpuShares { get; } = new("--cpu-shares", "-c") { Description = "CPU shares (relative weight)" };

    public Option<long> PidsLimit { get; } = new("--pids-limit") { Description = "Tune container pids limit (-1 for unlimited)" };

    public Option<string?> Restart { get; } = new("--restart") { Description = "Restart policy: no, on-failure[:N], always, unless-stopped" };

    public Option<bool> Rm { get; } = new("--rm") { Description = "Automatically remove the container when it exits" };

    public Option<bool> Privileged { get; } = new("--privileged") { Description = "Give extended privileges to this container" };

    public Option<bool> ReadOnly { get; } = new("--read-only") { Description = "Mount the container's root filesystem as read only" };

    public Option<string[]> CapAdd { get; } = new("--cap-add") { Description = "Add Linux capabilities" };

    public Option<string[]> CapDrop { get; } = new("--cap-drop") { Description = "Drop Linux capabilities" };

    public Option<string[]> SecurityOpt { get; } = new("--security-opt") { Description = "Security options: seccomp=unconfined|PROFILE.json, no-new-privileges, apparmor=PROFILE" };

    public Option<string[]> Label { get; } = new("--label", "-l") { Description = "Set meta data on a container" };

    public Option<string?> StopSignal { get; } = new("--stop-signal") { Description = "Signal to stop the container" };

    public Option<int?> StopTimeout { get; } = new("--stop-timeout") { Description = "Timeout (in seconds) to stop a container" };

    public Option<string?> HealthCmd { get; } = new("--health-cmd") { Description = "Command to run to check health" };

    public Option<string?> HealthInterval { get; } = new("--health-interval") { Description = "Time between running the check (ms|s|m|h) (default 0s)" };

    public Option<string?> HealthTimeout { get; } = new("--health-timeout") { Description = "Maximum time to allow one check to run (ms|s|m|h) (default 0s)" };

    public Option<int?> HealthRetries { get; } = new("--health-retries") { Description = "Consecutive failures needed to report unhealthy" };

    public Option<string?> HealthStartPeriod { get; } = new("--health-start-period") { Description = "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)" };

    public Option<string?> HealthStartInterval { get; } = new("--health-start-interval") { Description = "Time between running the check during the start period (ms|s|m|h) (default 0s)" };

    public Option<bool> NoHealthcheck { get; } = new("--no-healthcheck") { Description = "Disable any container-specified HEALTHCHECK" };

    public Option<bool> Init { get; } = new("--init") { Description = "Run an init inside the container that forwards signals and reaps processes" };

    public Option<string[]> Ulimit { get; } = new("--ulimit") { Description = "Ulimit options (NAME=SOFT[:HARD])" };

    public Option<string?> ShmSize { get; } = new("--shm-size") { Description = "Size of /dev/shm (e.g. 128m)" };

    public Option<string[]> Sysctl { get; } = new("--sysctl") { Description = "Sysctl options (NAME=VALUE)" };

    public Option<string?> Platform { get; } = new("--platform") { Description = "Set platform if the image is pulled (os/arch[/variant])" };

    public Option<string> Pull { get; } = new("--pull") { Description = "Pull image before running (missing, always, never)", DefaultValueFactory = _ => "missing" };

    public void AddTo(Command cmd)
    {
        cmd.Arguments.Add(Image);
        cmd.Arguments.Add(Command);
        foreach (var o in new Option[]
        {
            Name, Interactive, Tty, Env, EnvFile, Entrypoint, Workdir, User, Hostname, Network, NetworkAlias, Ip, MacAddress, AddHost, Dns, DnsSearch, DnsOption, Link, Volume, Mount, Tmpfs, Publish, Memory, MemorySwap,
            Cpus, CpuShares, PidsLimit, Restart, Rm, Privileged, ReadOnly, CapAdd, CapDrop, SecurityOpt, Label, StopSignal, StopTimeout, Platform, Pull,
            HealthCmd, HealthInterval, HealthTimeout, HealthRetries, HealthStartPeriod, HealthStartInterval, NoHealthcheck, Init, Ulimit, ShmSize, Sysctl,
        })
        {
            cmd.Options.Add(o);
        }

        // docker stops parsing flags at the image name: `run busybox ls -l` passes -l to ls.
        cmd.TreatUnmatchedTokensAsErrors = true;
    }

    public ContainerOptions ToOptions(ParseResult parse)
    {
        var env = new List<string>();
        foreach (var file in parse.GetValue(EnvFile) ?? [])
        {
            if (!File.Exists(file))
            {
                throw StrataException.Invalid("ENV_FILE", $"open {file}: no such file or directory");
            }

            env.AddRange(File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(ExpandEnv));
        }

        env.AddRange((parse.GetValue(Env) ?? []).Select(ExpandEnv));
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in parse.GetValue(Label) ?? [])
        {
            var kv = l.Split('=', 2);
            labels[kv[0]] = kv.Length == 2 ? kv[1] : string.Empty;
        }

        var pids = parse.GetValue(PidsLimit);
        return new ContainerOptions
        {
            Image = parse.GetValue(Image)!,
            Name = parse.GetValue(Name),
            Command = parse.GetValue(Command) ?? [],
            Entrypoint = parse.GetValue(Entrypoint),
            Env = env,
            WorkingDir = parse.GetValue(Workdir),
            User = parse.GetValue(User),
            Hostname = parse.GetValue(Hostname),
            Tty = parse.GetValue(Tty),
            Interactive = parse.GetValue(Interactive),
            Network = parse.GetValue(Network) ?? "bridge",
            NetworkAliases = parse.GetValue(NetworkAlias) ?? [],
            IpAddress = parse.GetValue(Ip),
            MacAddress = parse.GetValue(MacAddress),
            ExtraHosts = parse.GetValue(AddHost) ?? [],
            Dns = parse.GetValue(Dns) ?? [],
            DnsSearch = parse.GetValue(DnsSearch) ?? [],
            DnsOptions = parse.GetValue(DnsOption) ?? [],
            Links = parse.GetValue(Link) ?? [],
            Volumes = parse.GetValue(Volume) ?? [],
            Mounts = parse.GetValue(Mount) ?? [],
            Tmpfs = parse.GetValue(Tmpfs) ?? [],
            Publish = parse.GetValue(Publish) ?? [],
            Resources = new ResourceLimits
            {
                MemoryBytes = parse.GetValue(Memory) is { } m ? Units.ParseSize(m, "--memory") : 0,
                MemorySwapBytes = parse.GetValue(MemorySwap) is { } s ? s == "-1" ? -1 : Units.ParseSize(s, "--memory-swap") : 0,
                NanoCpus = parse.GetValue(Cpus) is { } c ? ResourceParser.ParseCpus(c) : 0,
                CpuShares = parse.GetValue(CpuShares),
                PidsLimit = pids > 0 ? pids : 0,
            },
            Restart = RestartPolicy.Parse(parse.GetValue(Restart)),
            AutoRemove = parse.GetValue(Rm),
            Privileged = parse.GetValue(Privileged),
            ReadOnly = parse.GetValue(ReadOnly),
            CapAdd = parse.GetValue(CapAdd) ?? [],
            CapDrop = parse.GetValue(CapDrop) ?? [],
            SecurityOpt = parse.GetValue(SecurityOpt) ?? [],
            Labels = labels,
            StopSignal = parse.GetValue(StopSignal) is { } sig ? ContainerManager.NormalizeSignal(sig) : null,
            StopTimeout = parse.GetValue(StopTimeout),
            Healthcheck = HealthcheckFrom(parse),
            Init = parse.GetValue(Init),
            Ulimits = [.. (parse.GetValue(Ulimit) ?? []).Select(Runtime.Containers.Ulimit.Parse)],
            ShmSize = parse.GetValue(ShmSize) is { } shm ? Strata.Oci.Units.ParseSize(shm, "--shm-size") : 0,
            Sysctls = (parse.GetValue(Sysctl) ?? []).Select(SysctlPolicy.Parse).GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
        };
    }

    /// <summary>docker's <c>--health-*</c> handling: only what is given; the daemon fills the rest from the image.</summary>
    private HealthConfig? HealthcheckFrom(ParseResult parse)
    {
        var cmd = parse.GetValue(HealthCmd);
        var retries = parse.GetValue(HealthRetries);
        var durations = new[] { ("--health-interval", parse.GetValue(HealthInterval)), ("--health-timeout", parse.GetValue(HealthTimeout)), ("--health-start-period", parse.GetValue(HealthStartPeriod)), ("--health-start-interval", parse.GetValue(HealthStartInterval)) }
            .Select(d => d.Item2 is null ? (long?)null : Nanoseconds(d.Item1, d.Item2)).ToArray();
        var any = cmd is not null || retries is not null || durations.Any(d => d is not null);
        if (parse.GetValue(NoHealthcheck))
        {
            return any
                ? throw StrataException.Invalid("HEALTHCHECK_CONFLICT", "--no-healthcheck conflicts with --health-* options")
                : new HealthConfig { Test = ["NONE"] };
        }

        if (!any)
        {
            return null;
        }

        if (retries < 0)
        {
            throw StrataException.Invalid("HEALTHCHECK_INVALID", "--health-retries cannot be negative");
        }

        return new HealthConfig
        {
            Test = cmd is null ? null : ["CMD-SHELL", cmd],
            Interval = durations[0],
            Timeout = durations[1],
            StartPeriod = durations[2],
            StartInterval = durations[3],
            Retries = retries,
        };
    }

    private static long Nanoseconds(string flag, string value)
    {
        TimeSpan d;
        try
        {
            d = Strata.Oci.GoDuration.Parse(value);
        }
        catch (FormatException e)
        {
            throw StrataException.Invalid("DURATION_INVALID", $"invalid argument \"{value}\" for \"{flag}\" flag: {e.Message}");
        }

        return d < TimeSpan.Zero
            ? throw StrataException.Invalid("DURATION_INVALID", $"{flag} cannot be negative")
            : Strata.Oci.GoDuration.ToNanoseconds(d);
    }

    /// <summary><c>-e NAME</c> without a value takes it from the environment, as docker does.</summary>
    private static string ExpandEnv(string e) =>
        e.Contains('=', StringComparison.Ordinal) ? e : Environment.GetEnvironmentVariable(e) is { } v ? e + "=" + v : e;
}
