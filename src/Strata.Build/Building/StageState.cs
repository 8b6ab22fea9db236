using Strata.Build.Instructions;
using Strata.Oci;

namespace Strata.Build.Building;

/// <summary>A stage while it is being built: its config, ARGs, layers, history and the current step.</summary>
internal sealed class StageState
{
    public StageState(Stage stage, StageConfig config, StageArgs args)
    {
        Stage = stage;
        Config = config;
        Args = args;
    }

    public Stage Stage { get; }

    public StageConfig Config { get; }

    public StageArgs Args { get; }

    public string Architecture { get; set; } = Platform.Host.Architecture;

    public string Os { get; set; } = "linux";

    public string? Variant { get; set; }

    public List<Descriptor> Layers { get; } = [];

    public List<Digest> DiffIds { get; } = [];

    public List<HistoryEntry> History { get; } = [];

    /// <summary>The committed snapshot of the current root filesystem (null: empty).</summary>
    public string? ChainId { get; set; }

    /// <summary>The current step's ID (its config digest); the base image's ID at first, null for scratch.</summary>
    public Digest? StepId { get; set; }

    /// <summary>How many layers came from the base image (squash keeps those).</summary>
    public int BaseLayerCount { get; set; }

    public string? BaseChainId { get; set; }

    /// <summary>The base image's (or stage's) ID; null for scratch.</summary>
    public Digest? BaseStepId { get; set; }

    public int BaseHistoryCount { get; set; }

    /// <summary>Where the current step reports (set as each step starts).</summary>
    public StepLog Log { get; set; } = null!;

    public string ParentKey => StepId?.ToString() ?? $"scratch:{Os}/{Architecture}";
}
