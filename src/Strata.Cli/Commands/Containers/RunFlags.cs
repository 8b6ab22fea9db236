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

    public Option<string> Network { get; } = new("--network", "--net") { Description = "Connect a container to a network: bridge (default), none, host", DefaultValueFactory = _ => "bridge" };

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

    public Option<string?> Platform { get; } = new("--platform") { Description = "Set platform if the image is pulled (os/arch[/variant])" };

    public Option<string> Pull { get; } = new("--pull") { Description = "Pull image before running (missing, always, never)", DefaultValueFactory = _ => "missing" };

    public void AddTo(Command cmd)
    {
        cmd.Arguments.Add(Image);
        cmd.Arguments.Add(Command);
        foreach (var o in new Option[]
        {
            Name, Interactive, Tty, Env, EnvFile, Entrypoint, Workdir, User, Hostname, Network, Volume, Mount, Tmpfs, Publish, Memory, MemorySwap,
            Cpus, CpuShares, PidsLimit, Restart, Rm, Privileged, ReadOnly, CapAdd, CapDrop, SecurityOpt, Label, StopSignal, StopTimeout, Platform, Pull,
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
        };
    }

    /// <summary><c>-e NAME</c> without a value takes it from the environment, as docker does.</summary>
    private static string ExpandEnv(string e) =>
        e.Contains('=', StringComparison.Ordinal) ? e : Environment.GetEnvironmentVariable(e) is { } v ? e + "=" + v : e;
}
