using System.Globalization;
using Strata.Oci;
using Strata.Runtime.Volumes;

namespace Strata.Runtime.Containers;

/// <summary>Parses <c>-v</c>, <c>--mount</c> and <c>--tmpfs</c> as docker does.</summary>
public static class MountParser
{
    /// <summary><c>NAME:/path[:ro]</c>, <c>/host:/path[:ro]</c>, or <c>/path</c> (an anonymous volume).</summary>
    public static MountPoint ParseVolume(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var parts = text.Split(':');
        var readOnly = false;
        if (parts.Length == 3)
        {
            readOnly = ParseMode(parts[2], text);
        }
        else if (parts.Length > 3)
        {
            throw Bad(text, "too many colons");
        }

        if (parts.Length == 1)
        {
            return new MountPoint { Type = "volume", Destination = Destination(parts[0], text), Anonymous = true };
        }

        var source = parts[0];
        var dest = Destination(parts[1], text);
        if (source.StartsWith('/') || source.StartsWith('.'))
        {
            return new MountPoint { Type = "bind", Source = Path.GetFullPath(source), Destination = dest, ReadOnly = readOnly };
        }

        if (!VolumeStore.IsValidName(source))
        {
            throw Bad(text, $"\"{source}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        }

        return new MountPoint { Type = "volume", Source = source, Destination = dest, ReadOnly = readOnly };
    }

    /// <summary><c>type=volume|bind|tmpfs,source=..,target=..,readonly,tmpfs-size=..</c>.</summary>
    public static MountPoint ParseMount(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        string type = "volume", source = string.Empty, target = string.Empty;
        var readOnly = false;
        long size = 0;
        foreach (var field in text.Split(','))
        {
            var kv = field.Split('=', 2);
            var key = kv[0].Trim().ToLowerInvariant();
            var value = kv.Length == 2 ? kv[1].Trim() : null;
            switch (key)
            {
                case "type":
                    type = value ?? throw Bad(text, "type needs a value");
                    break;
                case "source" or "src":
                    source = value ?? string.Empty;
                    break;
                case "target" or "destination" or "dst":
                    target = value ?? string.Empty;
                    break;
                case "readonly" or "ro":
                    readOnly = value is null || value is "1" or "true";
                    break;
                case "tmpfs-size":
                    size = Units.ParseSize(value ?? throw Bad(text, "tmpfs-size needs a value"), "tmpfs-size");
                    break;
                case "bind-propagation" or "volume-nocopy" or "tmpfs-mode" or "consistency":
                    break;
                default:
                    throw Bad(text, $"unexpected key '{key}' in '{field}'");
            }
        }

        if (target.Length == 0)
        {
            throw Bad(text, "target is required");
        }

        var dest = Destination(target, text);
        return type switch
        {
            "bind" when source.Length == 0 => throw Bad(text, "source is required when specifying a bind mount"),
            "bind" when !Path.Exists(source) => throw Bad(text, $"bind source path does not exist: {source}"),
            "bind" => new MountPoint { Type = "bind", Source = Path.GetFullPath(source), Destination = dest, ReadOnly = readOnly },
            "volume" when source.Length == 0 => new MountPoint { Type = "volume", Destination = dest, ReadOnly = readOnly, Anonymous = true },
            "volume" when !VolumeStore.IsValidName(source) => throw Bad(text, $"invalid volume name \"{source}\""),
            "volume" => new MountPoint { Type = "volume", Source = source, Destination = dest, ReadOnly = readOnly },
            "tmpfs" => new MountPoint { Type = "tmpfs", Destination = dest, ReadOnly = readOnly, TmpfsSize = size },
            _ => throw Bad(text, $"mount type \"{type}\" is not supported: use volume, bind or tmpfs"),
        };
    }

    /// <summary><c>/path[:size=64m]</c>.</summary>
    public static MountPoint ParseTmpfs(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var parts = text.Split(':', 2);
        long size = 0;
        if (parts.Length == 2)
        {
            foreach (var opt in parts[1].Split(','))
            {
                if (opt.StartsWith("size=", StringComparison.Ordinal))
                {
                    size = Units.ParseSize(opt[5..], "tmpfs size");
                }
            }
        }

        return new MountPoint { Type = "tmpfs", Destination = Destination(parts[0], text), TmpfsSize = size };
    }

    private static bool ParseMode(string mode, string text) => mode switch
    {
        "ro" => true,
        "rw" or "z" or "Z" or "" => false,
        _ when mode.Split(',').All(m => m is "ro" or "rw" or "z" or "Z" or "nocopy") => mode.Split(',').Contains("ro"),
        _ => throw Bad(text, $"invalid mode: {mode}"),
    };

    private static string Destination(string path, string text)
    {
        if (!path.StartsWith('/'))
        {
            throw Bad(text, $"invalid mount path: '{path}' mount path must be absolute");
        }

        var clean = "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        if (clean == "/")
        {
            throw Bad(text, "invalid specification: destination can't be '/'");
        }

        return clean;
    }

    private static StrataException Bad(string text, string why) =>
        StrataException.Invalid("MOUNT_INVALID", string.Create(CultureInfo.InvariantCulture, $"invalid mount \"{text}\": {why}"));
}
