using System.CommandLine;
using Strata.Engine;

namespace Strata.Cli;

/// <summary>Options every command accepts: store root and drivers.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Root { get; } = new("--root") { Description = "Store root (default $STRATA_ROOT or /var/lib/strata)", Recursive = true };

    public Option<string?> StorageDriver { get; } = new("--storage-driver") { Description = "overlay (default) or vfs", Recursive = true };

    public Option<string?> Runtime { get; } = new("--runtime") { Description = "OCI runtime: crun (default) or runc", Recursive = true };

    public void AddTo(Command root)
    {
        root.Options.Add(Root);
        root.Options.Add(StorageDriver);
        root.Options.Add(Runtime);
    }

    public EngineOptions EngineOptions(ParseResult parse) =>
        Engine.EngineOptions.FromEnvironment(parse.GetValue(Root), parse.GetValue(StorageDriver), parse.GetValue(Runtime));

    public Task<StrataEngine> OpenEngineAsync(ParseResult parse, CancellationToken cancellationToken) =>
        StrataEngine.OpenAsync(EngineOptions(parse), Output.ConsoleEvents.Instance, cancellationToken);
}
