using System.Globalization;
using System.Text;
using Strata.Build.Instructions;
using Strata.Build.Parsing;
using Strata.Oci;

namespace Strata.Build.Building;

/// <summary>
/// The instructions that only change the image config (CMD, ENV, LABEL, ...). Each returns the
/// <c>created_by</c> text Docker's classic builder records: <c>SHELL #(nop)  INSTRUCTION ...</c>.
/// </summary>
public static class ConfigInstructions
{
    private static readonly HashSet<string> Keywords =
        ["cmd", "entrypoint", "env", "arg", "label", "maintainer", "user", "expose", "volume", "shell", "stopsignal", "healthcheck", "onbuild"];

    public static bool IsConfigOnly(string keyword) => Keywords.Contains(keyword);

    /// <summary>The environment used to expand words: ENV wins over ARG.</summary>
    public static Func<string, string?> Lookup(StageConfig cfg, StageArgs args)
    {
        ArgumentNullException.ThrowIfNull(cfg);
        ArgumentNullException.ThrowIfNull(args);
        return name => cfg.GetEnv(name) ?? args.Lookup(name);
    }

    /// <summary>Docker's <c>withCmdComment</c>: shell + <c>"#(nop) "</c> + comment, joined by spaces.</summary>
    public static string NopComment(StageConfig cfg, string comment) => string.Join(' ', cfg.EffectiveShell) + " #(nop)  " + comment;

    public static string Apply(string file, DockerfileNode node, StageConfig cfg, StageArgs args, ShellLex lex)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(cfg);
        ArgumentNullException.ThrowIfNull(lex);
        try
        {
            return node.Keyword switch
            {
                "cmd" => Cmd(node, cfg),
                "entrypoint" => Entrypoint(node, cfg),
                "env" => Env(node, cfg, args, lex),
                "arg" => Arg(node, cfg, args, lex),
                "label" => Label(node, cfg, args, lex),
                "maintainer" => Maintainer(node, cfg),
                "user" => User(node, cfg, args, lex),
                "expose" => Expose(node, cfg, args, lex),
                "volume" => Volume(node, cfg, args, lex),
                "shell" => Shell(node, cfg),
                "stopsignal" => StopSignal(node, cfg, args, lex),
                "healthcheck" => Healthcheck(node, cfg),
                "onbuild" => OnBuild(node, cfg),
                _ => throw new InvalidOperationException($"{node.Keyword} is not a config instruction"),
            };
        }
        catch (FormatException e)
        {
            throw DockerfileErrors.At(file, node, e.Message);
        }
    }

    /// <summary>Shell form: the stage's SHELL plus the command; exec form: the JSON array (resolveCmdLine).</summary>
    public static List<string> CommandLine(DockerfileNode node, StageConfig cfg, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(cfg);
        var args = node.Args.Skip(skip).ToList();
        if (node.Json)
        {
            return args;
        }

        return [.. cfg.EffectiveShell, .. args];
    }

    private static string Cmd(DockerfileNode node, StageConfig cfg)
    {
        cfg.Cmd = CommandLine(node, cfg);
        cfg.CmdSet = true;
        cfg.ArgsEscaped = null;
        return NopComment(cfg, "CMD " + GoFormat.QuoteList(cfg.Cmd));
    }

    private static string Entrypoint(DockerfileNode node, StageConfig cfg)
    {
        cfg.Entrypoint = node.Json && node.Args.Count == 0 ? null : CommandLine(node, cfg);
        if (!cfg.CmdSet)
        {
            // Docker: an ENTRYPOINT drops the CMD inherited from the base unless this stage set one.
            cfg.Cmd = null;
        }

        return NopComment(cfg, "ENTRYPOINT " + GoFormat.QuoteList(cfg.Entrypoint));
    }

    private static string Env(DockerfileNode node, StageConfig cfg, StageArgs args, ShellLex lex)
    {
        var sb = new StringBuilder("ENV");
        var pending = new List<(string Key, string Value)>();
        for (var i = 0; i + 1 < node.Args.Count; i += 2)
        {
            // Each pair sees the variables set by the pairs before it only from the next instruction on,
            // as in Docker: expand all with the environment before the instruction.
            var lookup = Lookup(cfg, args);
            var key = lex.ProcessWord(node.Args[i], lookup);
            var value = lex.ProcessWord(node.Args[i + 1], lookup);
            if (key.Length == 0)
            {
                throw new FormatException("ENV names can not be blank");
            }

            sb.Append(' ').Append(key).Append('=').Append(value);
            pending.Add((key, value));
        }

        foreach (var (k, v) in pending)
        {
            cfg.SetEnv(k, v);
        }

        return NopComment(cfg, sb.ToString());
    }

    private static string Arg(DockerfileNode node, StageConfig cfg, StageArgs args, ShellLex lex)
    {
        var sb = new StringBuilder("ARG ");
        var first = true;
        foreach (var word in node.Args)
        {
            var (_, rawDefault) = BuildArgs.Split(word);
            var lookup = Lookup(cfg, args);
            var (name, _) = args.Declare(word, lex, lookup);
            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            sb.Append(name);
            if (rawDefault is not null)
            {
                sb.Append('=').Append(lex.ProcessWord(rawDefault, lookup));
            }
        }

        return NopComment(cfg, sb.ToString());
    }

    private static string Label(DockerfileNode node, StageConfig cfg, StageArgs args, ShellLex lex)
    {
        var sb = new StringBuilder("LABEL");
        var lookup = Lookup(cfg, args);
        for (var i = 0; i + 1 < node.Args.Count; i += 2)
        {
            var key = lex.ProcessWord(node.Args[i], lookup);
            var value = lex.ProcessWord(node.Args[i + 1], lookup);
            if (key.Length == 0)
            {
                throw new FormatException("LABEL names can not be blank");
            }

            cfg.Labels[key] = value;
            sb.Append(' ').Append(key).Append('=').Append(value);
        }

        return NopComment(cfg, sb.ToString());
    }

    private static string Maintainer(DockerfileNode node, StageConfig cfg)
    {
        cfg.Author = node.Args[0];
        return NopComment(cfg, "MAINTAINER " + node.Args[0]);
    }

    private static string User(DockerfileNode node, StageConfig cfg, StageArgs args, ShellLex lex)
    {
        cfg.User = lex.ProcessWord(node.Args[0], Lookup(cfg, args));
        return NopComment(cfg, "USER " + cfg.User);
    }

    private static string Expose(DockerfileNode node, StageConfig cfg, StageArgs args, ShellLex lex)
    {
        var lookup = Lookup(cfg, args);
        var ports = node.Args.SelectMany(a => lex.ProcessWords(a, lookup)).ToList();
        foreach (var spec in ports)
        {
            foreach (var key in ParsePortSpec(spec))
            {
                cfg.ExposedPorts[key] = EmptyObject.Instance;
            }
        }

        return NopComment(cfg, "EXPOSE " + string.Join(' ', ports));
    }

    /// <summary>docker/go-connections nat.ParsePortSpec for EXPOSE: <c>80</c>, <c>80/udp</c>, <c>8000-8002/tcp</c>.</summary>
    public static IEnumerable<string> ParsePortSpec(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var proto = "tcp";
        var port = spec;
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            proto = spec[(slash + 1)..].ToLowerInvariant();
            port = spec[..slash];
            if (proto is not ("tcp" or "udp" or "sctp"))
            {
                throw new FormatException($"invalid proto: {proto}");
            }
        }

        var dash = port.IndexOf('-', StringComparison.Ordinal);
        var lo = ParsePort(dash < 0 ? port : port[..dash], spec);
        var hi = dash < 0 ? lo : ParsePort(port[(dash + 1)..], spec);
        if (hi < lo)
        {
            throw new FormatException($"invalid range specified for container port: {spec}");
        }

        for (var p = lo; p <= hi; p++)
        {
            yield return p.ToString(CultureInfo.InvariantCulture) + "/" + proto;
        }
    }

    private static int ParsePort(string s, string spec)
    {
        if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 0 or > 65535)
        {
            throw new FormatException($"invalid containerPort: {spec}");
        }

        return p;
    }

    private static string Volume(DockerfileNode node, StageConfig cfg, StageArgs args, ShellLex lex)
    {
        var lookup = Lookup(cfg, args);
        var vols = node.Args.Select(a => lex.ProcessWord(a, lookup)).ToList();
        foreach (var v in vols)
        {
            if (v.Trim().Length == 0)
            {
                throw new FormatException("VOLUME specified can not be an empty string");
            }

            cfg.Volumes[v] = EmptyObject.Instance;
        }

        return NopComment(cfg, "VOLUME " + GoFormat.List(vols));
    }

    private static string Shell(DockerfileNode node, StageConfig cfg)
    {
        cfg.Shell = [.. node.Args];
        return NopComment(cfg, "SHELL " + GoFormat.List(cfg.Shell));
    }

    private static string StopSignal(DockerfileNode node, StageConfig cfg, StageArgs args, ShellLex lex)
    {
        var sig = lex.ProcessWord(node.Args[0], Lookup(cfg, args));
        if (!Signals.IsValid(sig))
        {
            throw new FormatException($"Invalid signal: {sig}");
        }

        cfg.StopSignal = sig;
        return NopComment(cfg, "STOPSIGNAL " + sig);
    }

    private static string Healthcheck(DockerfileNode node, StageConfig cfg)
    {
        if (node.Args[0] == "NONE")
        {
            cfg.Healthcheck = new HealthConfig { Test = ["NONE"] };
        }
        else
        {
            List<string> test = node.Json ? ["CMD", .. node.Args.Skip(1)] : ["CMD-SHELL", node.Args.Count > 1 ? node.Args[1] : string.Empty];
            long? Dur(string name)
            {
                var v = node.Flags.LastOrDefault(f => f.Name == name)?.Value;
                return v is null ? null : GoDuration.ToNanoseconds(GoDuration.Parse(v));
            }

            var retries = node.Flags.LastOrDefault(f => f.Name == "retries")?.Value;
            cfg.Healthcheck = new HealthConfig
            {
                Test = test,
                Interval = Dur("interval"),
                Timeout = Dur("timeout"),
                StartPeriod = Dur("start-period"),
                StartInterval = Dur("start-interval"),
                Retries = retries is null ? null : int.Parse(retries, CultureInfo.InvariantCulture),
            };
        }

        var h = cfg.Healthcheck;
        var text = $"&{{{GoFormat.QuoteList(h.Test)} {GoFormat.Quote(GoDuration.Format(h.Interval ?? 0))} {GoFormat.Quote(GoDuration.Format(h.Timeout ?? 0))} {GoFormat.Quote(GoDuration.Format(h.StartPeriod ?? 0))} {GoFormat.QuoteRune(h.Retries ?? 0)}}}";
        return NopComment(cfg, "HEALTHCHECK " + text);
    }

    private static string OnBuild(DockerfileNode node, StageConfig cfg)
    {
        var expression = node.Args[0];
        cfg.OnBuild.Add(expression);
        return NopComment(cfg, "ONBUILD " + expression);
    }
}
