using Strata.Oci;

namespace Strata.Build.Building;

/// <summary>The image config of a stage while it is being built (Docker's runConfig), mutable step by step.</summary>
public sealed class StageConfig
{
    public static readonly IReadOnlyList<string> DefaultShell = ["/bin/sh", "-c"];

    public List<string> Env { get; } = [];

    public List<string>? Cmd { get; set; }

    public List<string>? Entrypoint { get; set; }

    public string? User { get; set; }

    public string? WorkingDir { get; set; }

    public SortedDictionary<string, EmptyObject> ExposedPorts { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, EmptyObject> Volumes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    public string? StopSignal { get; set; }

    public List<string>? Shell { get; set; }

    public HealthConfig? Healthcheck { get; set; }

    public List<string> OnBuild { get; } = [];

    public string? Author { get; set; }

    public bool? ArgsEscaped { get; set; }

    /// <summary>True once this stage set CMD (ENTRYPOINT then keeps it instead of clearing it).</summary>
    public bool CmdSet { get; set; }

    public IReadOnlyList<string> EffectiveShell => Shell is { Count: > 0 } ? Shell : DefaultShell;

    public static StageConfig From(ImageConfig? image)
    {
        var s = new StageConfig();
        var c = image?.Config;
        s.Author = image?.Author;
        if (c is null)
        {
            return s;
        }

        s.Env.AddRange(c.Env ?? []);
        s.Cmd = c.Cmd?.ToList();
        s.Entrypoint = c.Entrypoint?.ToList();
        s.User = c.User;
        s.WorkingDir = c.WorkingDir;
        foreach (var p in c.ExposedPorts ?? new Dictionary<string, EmptyObject>())
        {
            s.ExposedPorts[p.Key] = p.Value;
        }

        foreach (var v in c.Volumes ?? new Dictionary<string, EmptyObject>())
        {
            s.Volumes[v.Key] = v.Value;
        }

        foreach (var l in c.Labels ?? new Dictionary<string, string>())
        {
            s.Labels[l.Key] = l.Value;
        }

        s.StopSignal = c.StopSignal;
        s.Shell = c.Shell?.ToList();
        s.Healthcheck = c.Healthcheck;
        s.ArgsEscaped = c.ArgsEscaped;

        // ONBUILD triggers of the base run in this build and are not inherited (Docker clears them).
        return s;
    }

    public string? GetEnv(string name)
    {
        for (var i = Env.Count - 1; i >= 0; i--)
        {
            var e = Env[i];
            if (e.Length > name.Length && e[name.Length] == '=' && e.StartsWith(name, StringComparison.Ordinal))
            {
                return e[(name.Length + 1)..];
            }

            if (e == name)
            {
                return string.Empty;
            }
        }

        return null;
    }

    public IReadOnlyCollection<string> EnvNames() => Env.Select(e => e.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);

    /// <summary>Sets or replaces a variable in place (Docker keeps the original position).</summary>
    public void SetEnv(string name, string value)
    {
        var entry = name + "=" + value;
        for (var i = 0; i < Env.Count; i++)
        {
            if (Env[i].Split('=', 2)[0] == name)
            {
                Env[i] = entry;
                return;
            }
        }

        Env.Add(entry);
    }

    public ContainerConfig ToContainerConfig() => new()
    {
        User = string.IsNullOrEmpty(User) ? null : User,
        ExposedPorts = ExposedPorts.Count == 0 ? null : new SortedDictionary<string, EmptyObject>(ExposedPorts, StringComparer.Ordinal),
        Env = Env.Count == 0 ? null : [.. Env],
        Entrypoint = Entrypoint is null ? null : [.. Entrypoint],
        Cmd = Cmd is null ? null : [.. Cmd],
        Volumes = Volumes.Count == 0 ? null : new SortedDictionary<string, EmptyObject>(Volumes, StringComparer.Ordinal),
        WorkingDir = string.IsNullOrEmpty(WorkingDir) ? null : WorkingDir,
        Labels = Labels.Count == 0 ? null : new SortedDictionary<string, string>(Labels, StringComparer.Ordinal),
        StopSignal = StopSignal,
        Shell = Shell is null ? null : [.. Shell],
        Healthcheck = Healthcheck,
        OnBuild = OnBuild.Count == 0 ? null : [.. OnBuild],
        ArgsEscaped = ArgsEscaped,
    };

    /// <summary>A stable text of everything in the config, part of a step's cache key.</summary>
    public string Fingerprint() => System.Text.Json.JsonSerializer.Serialize(ToContainerConfig(), OciJsonContext.Default.ContainerConfig) + "|" + Author;
}
