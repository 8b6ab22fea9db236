using Strata.Build.Building;
using Strata.Oci;

namespace Strata.Cli.Commands.Build;

/// <summary>docker buildx's <c>--secret</c>, <c>--ssh</c> and <c>--allow</c> notations.</summary>
public static class BuildFlags
{
    private const string FlagInvalid = "FLAG_INVALID";

    /// <summary><c>id=ID[,src|source=FILE][,env=VAR][,type=file|env]</c>; with neither, the variable named like the ID, else the file.</summary>
    public static Dictionary<string, SecretSource> ParseSecrets(IEnumerable<string> values)
    {
        var result = new Dictionary<string, SecretSource>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            string? id = null, src = null, env = null, type = null;
            foreach (var field in v.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? field : field[..eq];
                var value = eq < 0 ? string.Empty : field[(eq + 1)..];
                switch (key.ToLowerInvariant())
                {
                    case "id":
                        id = value;
                        break;
                    case "src" or "source":
                        src = value;
                        break;
                    case "env":
                        env = value;
                        break;
                    case "type":
                        type = value;
                        break;
                    default:
                        throw StrataException.Invalid(FlagInvalid, $"invalid argument \"{v}\" for \"--secret\" flag: unexpected key '{key}'");
                }
            }

            id ??= src is not null ? Path.GetFileName(src) : env;
            if (string.IsNullOrEmpty(id))
            {
                throw StrataException.Invalid(FlagInvalid, $"invalid argument \"{v}\" for \"--secret\" flag: the secret needs an id");
            }

            if (type == "env" && src is not null)
            {
                env = src;
                src = null;
            }

            if (src is null && env is null)
            {
                if (type != "file" && Environment.GetEnvironmentVariable(id) is not null)
                {
                    env = id;
                }
                else
                {
                    src = id;
                }
            }

            if (src is not null && !File.Exists(src))
            {
                throw StrataException.Invalid(FlagInvalid, $"invalid argument \"{v}\" for \"--secret\" flag: open {src}: no such file or directory");
            }

            result[id] = new SecretSource(id, src is null ? null : Path.GetFullPath(src), env);
        }

        return result;
    }

    /// <summary><c>default</c> (<c>$SSH_AUTH_SOCK</c>) or <c>ID=SOCKET</c>.</summary>
    public static Dictionary<string, string> ParseSsh(IEnumerable<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            var id = eq < 0 ? v : v[..eq];
            var socket = eq < 0 ? Environment.GetEnvironmentVariable("SSH_AUTH_SOCK") : v[(eq + 1)..].Split(',')[0];
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(socket))
            {
                throw StrataException.Invalid(FlagInvalid, $"invalid argument \"{v}\" for \"--ssh\" flag: give ID=SOCKET, or set SSH_AUTH_SOCK");
            }

            if (!Path.Exists(socket))
            {
                throw StrataException.Invalid(FlagInvalid, $"invalid argument \"{v}\" for \"--ssh\" flag: {socket}: no such file or directory");
            }

            result[id] = Path.GetFullPath(socket);
        }

        return result;
    }

    /// <summary><c>--progress</c>: auto keeps the classic step lines; tty has no redrawn display here and prints as plain.</summary>
    public static ProgressMode ParseProgress(string value) => value switch
    {
        "auto" or "classic" => ProgressMode.Classic,
        "plain" or "tty" => ProgressMode.Plain,
        "quiet" => ProgressMode.Quiet,
        _ => throw StrataException.Invalid(FlagInvalid, $"invalid argument \"{value}\" for \"--progress\" flag: use auto, plain, tty or quiet"),
    };

    public static HashSet<string> ParseAllow(IEnumerable<string> values)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values.SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (v is not ("security.insecure" or "network.host"))
            {
                throw StrataException.Invalid(FlagInvalid, $"invalid argument \"{v}\" for \"--allow\" flag: unknown entitlement (security.insecure, network.host)");
            }

            result.Add(v);
        }

        return result;
    }
}
