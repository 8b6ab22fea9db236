using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Bundles;

/// <summary>
/// Turns a container's args, env, user and working directory into a <see cref="ProcessSpec"/> against its
/// root filesystem, failing before the runtime starts with docker's messages and exit codes
/// (127: executable not found, 126: not executable).
/// </summary>
public static class ProcessResolver
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static ProcessSpec Resolve(ContainerSpec spec, string rootfs, bool terminal)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var args = spec.Args;
        if (args.Count == 0)
        {
            throw StrataException.Invalid("NO_COMMAND", "no command specified: the image has no Cmd or Entrypoint; give one after the image name");
        }

        var (uid, gid, home) = UserSpec.Resolve(spec.User, rootfs);
        var env = new List<string>(spec.Env);
        if (!env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
        {
            env.Insert(0, "PATH=" + DefaultPath);
        }

        AddDefault(env, "HOSTNAME", spec.Hostname);
        AddDefault(env, "HOME", string.IsNullOrEmpty(home) ? "/" : home);
        if (terminal)
        {
            AddDefault(env, "TERM", "xterm");
        }

        var cwd = string.IsNullOrEmpty(spec.WorkingDir) ? "/" : spec.WorkingDir;
        if (!cwd.StartsWith('/'))
        {
            throw StrataException.Invalid("WORKDIR_RELATIVE", $"the working directory '{cwd}' is invalid, it needs to be an absolute path");
        }

        CheckExecutable(args[0], env, rootfs);
        return new ProcessSpec { Args = args, Env = env, Cwd = cwd, Uid = uid, Gid = gid, Terminal = terminal };
    }

    private static void AddDefault(List<string> env, string key, string value)
    {
        if (!env.Any(e => e.StartsWith(key + "=", StringComparison.Ordinal)))
        {
            env.Add(key + "=" + value);
        }
    }

    /// <summary>Looks the program up in the container's PATH (inside the rootfs, never on the host).</summary>
    private static void CheckExecutable(string program, List<string> env, string rootfs)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            if (!program.StartsWith('/'))
            {
                return; // relative to the working directory; the runtime resolves it
            }

            if (!Exists(rootfs, program))
            {
                throw new StrataException(ErrorKind.NotFound, "EXEC_NOT_FOUND", $"exec: \"{program}\": stat {program}: no such file or directory") { ExitCode = 127 };
            }

            return;
        }

        var path = env.Last(e => e.StartsWith("PATH=", StringComparison.Ordinal))["PATH=".Length..];
        if (!path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => Exists(rootfs, Path.Combine(dir, program))))
        {
            throw new StrataException(ErrorKind.NotFound, "EXEC_NOT_FOUND", $"exec: \"{program}\": executable file not found in $PATH") { ExitCode = 127 };
        }
    }

    /// <summary>Whether <paramref name="path"/> exists in the rootfs, resolving symlinks inside it.</summary>
    private static bool Exists(string rootfs, string path)
    {
        try
        {
            return RootfsPath.Resolve(rootfs, path) is { } p && (File.Exists(p) || Directory.Exists(p));
        }
        catch (StrataException)
        {
            return false;
        }
    }
}
