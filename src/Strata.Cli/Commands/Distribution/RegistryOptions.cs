using System.CommandLine;
using Strata.Distribution.Settings;

namespace Strata.Cli.Commands.Distribution;

/// <summary>The <c>--registry-config</c> flag (a docker-style daemon.json) every registry command takes.</summary>
public sealed class RegistryOptions
{
    public Option<string?> Config { get; } = new("--registry-config")
    {
        Description = "Registry settings file (insecure-registries, registry-mirrors); default $STRATA_DAEMON_JSON or /etc/strata/daemon.json",
    };

    public void AddTo(Command command) => command.Options.Add(Config);

    public Task<RegistrySettings> LoadAsync(ParseResult parse, CancellationToken cancellationToken) =>
        RegistrySettings.LoadAsync(parse.GetValue(Config), cancellationToken);
}
