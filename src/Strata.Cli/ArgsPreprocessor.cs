namespace Strata.Cli;

/// <summary>
/// Docker stops reading flags at the image (run, create) or container (exec) name: in
/// <c>strata run busybox sh -c 'x'</c> the <c>-c</c> belongs to sh. System.CommandLine reads options anywhere,
/// so a <c>--</c> is inserted after that name before parsing.
/// </summary>
public static class ArgsPreprocessor
{
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--name", "-e", "--env", "--env-file", "--entrypoint", "-w", "--workdir", "-u", "--user", "-h", "--hostname", "--network", "--net",
        "--network-alias", "--ip", "--mac-address", "--add-host", "--dns", "--dns-search", "--dns-option", "--link",
        "-v", "--volume", "--mount", "--tmpfs", "-p", "--publish", "-m", "--memory", "--memory-swap", "--cpus", "-c", "--cpu-shares",
        "--pids-limit", "--restart", "--cap-add", "--cap-drop", "--security-opt", "-l", "--label", "--stop-signal", "--stop-timeout", "--platform", "--pull",
        "--health-cmd", "--health-interval", "--health-timeout", "--health-retries", "--health-start-period", "--health-start-interval", "--ulimit", "--shm-size", "--sysctl",
        "--root", "--storage-driver", "--runtime", "--registry-config", "--detach-keys",
    };

    private static readonly HashSet<string> Commands = new(StringComparer.Ordinal) { "run", "create", "exec" };

    public static string[] Process(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var i = 0;
        // Global options and the "container" group before the command.
        while (i < args.Length && !Commands.Contains(args[i]))
        {
            if (args[i] == "--")
            {
                return args;
            }

            if (!args[i].StartsWith('-') && args[i] != "container")
            {
                return args; // another command
            }

            i += ValueOptions.Contains(args[i]) ? 2 : 1;
        }

        for (i++; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                return args;
            }

            if (a.StartsWith('-') && a.Length > 1)
            {
                if (ValueOptions.Contains(a))
                {
                    i++;
                }

                continue;
            }

            return i + 1 < args.Length && args[i + 1] != "--" ? [.. args[..(i + 1)], "--", .. args[(i + 1)..]] : args;
        }

        return args;
    }
}
