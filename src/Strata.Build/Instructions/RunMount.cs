using System.Globalization;

namespace Strata.Build.Instructions;

/// <summary>
/// One <c>RUN --mount=...</c> as BuildKit's Dockerfile frontend reads it (dockerfile/instructions/commands_runmount.go):
/// comma-separated <c>key=value</c> fields (CSV quoting allowed), <c>type</c> bind (default), cache, tmpfs, secret or ssh.
/// </summary>
public sealed record RunMount
{
    public required string Type { get; init; }

    /// <summary>Where it appears in the container; for secret and ssh a default under /run is used when empty.</summary>
    public string Target { get; init; } = string.Empty;

    /// <summary>Path in <see cref="From"/> (bind, cache) or the secret/ssh ID's fallback.</summary>
    public string? Source { get; init; }

    /// <summary>A stage name or index, or an image (bind, cache); null: the build context (bind) or an empty cache.</summary>
    public string? From { get; init; }

    public string? Id { get; init; }

    public bool ReadWrite { get; init; }

    /// <summary>cache: <c>shared</c> (default), <c>private</c> or <c>locked</c>.</summary>
    public string Sharing { get; init; } = "shared";

    public uint? Mode { get; init; }

    public int? Uid { get; init; }

    public int? Gid { get; init; }

    /// <summary>tmpfs size in bytes (0: the kernel's default).</summary>
    public long Size { get; init; }

    /// <summary>secret/ssh: fail when the build was not given it.</summary>
    public bool Required { get; init; }

    /// <summary>secret: also (or only, without a target) expose it as this environment variable.</summary>
    public string? Env { get; init; }

    /// <summary>The mount as it goes into the cache key: every field except secret contents (which it never holds).</summary>
    public string CacheKey => $"{Type}|{Target}|{Source}|{From}|{Id}|{ReadWrite}|{Sharing}|{Mode}|{Uid}|{Gid}|{Size}|{Required}|{Env}";

    public static RunMount Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in SplitCsv(value))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            fields[key] = eq < 0 ? null : field[(eq + 1)..];
        }

        var type = fields.GetValueOrDefault("type") ?? "bind";
        if (type is not ("bind" or "cache" or "tmpfs" or "secret" or "ssh"))
        {
            throw new FormatException($"unsupported mount type \"{type}\"");
        }

        string? target = null, source = null, from = null, id = null, env = null;
        var rw = type is "cache" or "tmpfs";
        var sharing = "shared";
        var required = false;
        uint? mode = null;
        int? uid = null, gid = null;
        long size = 0;
        foreach (var (key, v) in fields)
        {
            switch (key)
            {
                case "type":
                    break;
                case "target" or "dst" or "destination":
                    target = Need(key, v);
                    break;
                case "source" or "src":
                    source = Need(key, v);
                    break;
                case "from":
                    from = Need(key, v);
                    break;
                case "id":
                    id = Need(key, v);
                    break;
                case "env":
                    env = Need(key, v);
                    break;
                case "readonly" or "ro":
                    rw = !Bool(key, v);
                    break;
                case "readwrite" or "rw":
                    rw = Bool(key, v);
                    break;
                case "required":
                    required = Bool(key, v);
                    break;
                case "sharing":
                    sharing = Need(key, v).ToLowerInvariant();
                    if (sharing is not ("shared" or "private" or "locked"))
                    {
                        throw new FormatException($"unsupported sharing value \"{v}\"");
                    }

                    break;
                case "mode":
                    try
                    {
                        mode = Convert.ToUInt32(Need(key, v), 8);
                    }
                    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
                    {
                        throw new FormatException($"invalid mode \"{v}\": must be octal");
                    }

                    break;
                case "uid":
                    uid = Int(key, v);
                    break;
                case "gid":
                    gid = Int(key, v);
                    break;
                case "size":
                    try
                    {
                        size = Oci.Units.ParseSize(Need(key, v), "size");
                    }
                    catch (Oci.StrataException e)
                    {
                        throw new FormatException(e.Message);
                    }

                    break;
                default:
                    throw new FormatException($"unexpected key '{key}' in '{value}'");
            }
        }

        switch (type)
        {
            case "bind" or "cache" or "tmpfs" when string.IsNullOrEmpty(target):
                throw new FormatException("mount type " + type + " requires a target (target=PATH)");
            case "secret" when id is null && source is null && target is null:
                throw new FormatException("secret mount requires an id (id=NAME)");
            case "secret" or "ssh" when from is not null:
                throw new FormatException($"{type} mount does not take from=");
        }

        if (type == "secret")
        {
            id ??= Path.GetFileName(target ?? source!);
            if (target is null && env is null)
            {
                target = "/run/secrets/" + id;
            }
        }
        else if (type == "ssh")
        {
            id ??= "default";
            target ??= "/run/buildkit/ssh_agent.0";
        }
        else if (type == "cache")
        {
            id ??= target;
        }

        if (target is not null && !target.StartsWith('/'))
        {
            target = "/" + target;
        }

        return new RunMount
        {
            Type = type, Target = target ?? string.Empty, Source = source, From = from, Id = id, ReadWrite = rw, Sharing = sharing,
            Mode = mode, Uid = uid, Gid = gid, Size = size, Required = required, Env = env,
        };
    }

    private static string Need(string key, string? v) => string.IsNullOrEmpty(v) ? throw new FormatException($"mount option {key} needs a value") : v;

    private static bool Bool(string key, string? v) => v is null || v.Equals("true", StringComparison.OrdinalIgnoreCase)
        || (!v.Equals("false", StringComparison.OrdinalIgnoreCase) ? throw new FormatException($"invalid value for {key}: {v}") : false);

    private static int Int(string key, string? v) =>
        int.TryParse(Need(key, v), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"invalid value for {key}: {v}");

    /// <summary>Splits a CSV record (double quotes group, doubled quotes escape), as Go's encoding/csv that BuildKit uses.</summary>
    internal static List<string> SplitCsv(string value)
    {
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < value.Length && value[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException($"unterminated quote in '{value}'");
        }

        fields.Add(sb.ToString());
        return fields.Where(f => f.Length > 0).ToList();
    }
}
