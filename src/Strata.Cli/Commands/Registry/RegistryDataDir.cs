using System.CommandLine;

namespace Strata.Cli.Commands.Registry;

/// <summary>Where the registry keeps its data: <c>--data-dir</c>, else <c>ROOT/registry</c>.</summary>
public sealed class RegistryDataDir
{
    public Option<string?> Option { get; } = new("--data-dir") { Description = "Registry data directory (default <root>/registry)", Recursive = true };

    public string Resolve(ParseResult parse, GlobalOptions globals) =>
        Path.GetFullPath(parse.GetValue(Option) ?? Path.Combine(globals.EngineOptions(parse).Root, "registry"));
}
