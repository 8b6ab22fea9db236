using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>
/// Changes to an image's execution config, as <c>commit --change</c>, <c>import -c</c> and the builder's
/// config-only instructions make them. Null leaves a field as the base image has it. <see cref="Env"/> entries
/// replace variables of the same name; <see cref="Labels"/>, <see cref="ExposedPorts"/> and
/// <see cref="Volumes"/> are merged into the base's.
/// </summary>
public sealed record ConfigChanges
{
    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary><c>KEY=value</c> entries.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary><c>80/tcp</c> style keys.</summary>
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    public IReadOnlyList<string>? Volumes { get; init; }

    public string? StopSignal { get; init; }

    public IReadOnlyList<string>? Shell { get; init; }

    public IReadOnlyList<string>? OnBuild { get; init; }

    public HealthConfig? Healthcheck { get; init; }

    /// <summary>The image author (config <c>author</c>).</summary>
    public string? Author { get; init; }

    /// <summary>Returns <paramref name="baseConfig"/> with these changes applied.</summary>
    public ContainerConfig ApplyTo(ContainerConfig? baseConfig)
    {
        var c = baseConfig ?? new ContainerConfig();
        return c with
        {
            Cmd = Cmd ?? c.Cmd,
            Entrypoint = Entrypoint ?? c.Entrypoint,
            Env = Env is null ? c.Env : MergeEnv(c.Env, Env),
            WorkingDir = WorkingDir ?? c.WorkingDir,
            User = User ?? c.User,
            Labels = Labels is null ? c.Labels : Merge(c.Labels, Labels),
            ExposedPorts = ExposedPorts is null ? c.ExposedPorts : MergeSet(c.ExposedPorts, ExposedPorts.Select(NormalizePort)),
            Volumes = Volumes is null ? c.Volumes : MergeSet(c.Volumes, Volumes),
            StopSignal = StopSignal ?? c.StopSignal,
            Shell = Shell ?? c.Shell,
            OnBuild = OnBuild is null ? c.OnBuild : [.. c.OnBuild ?? [], .. OnBuild],
            Healthcheck = Healthcheck ?? c.Healthcheck,
        };
    }

    /// <summary>Combines two change sets; <paramref name="later"/> wins field by field, maps and lists merge.</summary>
    public static ConfigChanges Combine(ConfigChanges earlier, ConfigChanges later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        return new ConfigChanges
        {
            Cmd = later.Cmd ?? earlier.Cmd,
            Entrypoint = later.Entrypoint ?? earlier.Entrypoint,
            Env = earlier.Env is null ? later.Env : later.Env is null ? earlier.Env : MergeEnv(earlier.Env, later.Env),
            WorkingDir = later.WorkingDir ?? earlier.WorkingDir,
            User = later.User ?? earlier.User,
            Labels = earlier.Labels is null ? later.Labels : later.Labels is null ? earlier.Labels : Merge(earlier.Labels, later.Labels),
            ExposedPorts = earlier.ExposedPorts is null ? later.ExposedPorts : later.ExposedPorts is null ? earlier.ExposedPorts : [.. earlier.ExposedPorts, .. later.ExposedPorts],
            Volumes = earlier.Volumes is null ? later.Volumes : later.Volumes is null ? earlier.Volumes : [.. earlier.Volumes, .. later.Volumes],
            StopSignal = later.StopSignal ?? earlier.StopSignal,
            Shell = later.Shell ?? earlier.Shell,
            OnBuild = earlier.OnBuild is null ? later.OnBuild : later.OnBuild is null ? earlier.OnBuild : [.. earlier.OnBuild, .. later.OnBuild],
            Healthcheck = later.Healthcheck ?? earlier.Healthcheck,
            Author = later.Author ?? earlier.Author,
        };
    }

    /// <summary><c>80</c> is <c>80/tcp</c>, as docker stores exposed ports.</summary>
    public static string NormalizePort(string port) => port.Contains('/', StringComparison.Ordinal) ? port.ToLowerInvariant() : port + "/tcp";

    /// <summary><c>KEY=value</c> entries of <paramref name="changes"/> replace the same keys in place, new keys go last.</summary>
    public static List<string> MergeEnv(IReadOnlyList<string>? baseEnv, IReadOnlyList<string> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var result = new List<string>(baseEnv ?? []);
        foreach (var e in changes)
        {
            var key = e.Split('=', 2)[0];
            var i = result.FindIndex(x => x.Split('=', 2)[0] == key);
            if (i >= 0)
            {
                result[i] = e;
            }
            else
            {
                result.Add(e);
            }
        }

        return result;
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string> b)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in a ?? new Dictionary<string, string>())
        {
            d[k] = v;
        }

        foreach (var (k, v) in b)
        {
            d[k] = v;
        }

        return d;
    }

    private static Dictionary<string, EmptyObject> MergeSet(IReadOnlyDictionary<string, EmptyObject>? a, IEnumerable<string> b)
    {
        var d = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var k in (a?.Keys ?? []).Concat(b))
        {
            d[k] = EmptyObject.Instance;
        }

        return d;
    }
}
