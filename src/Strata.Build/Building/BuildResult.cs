using Strata.Build.Analysis;
using Strata.Storage.Images;

namespace Strata.Build.Building;

/// <summary>The image a build produced, the warnings printed, and the slimming advice about its layers.</summary>
public sealed record BuildResult(ImageRecord Image, IReadOnlyList<string> Warnings, IReadOnlyList<SlimmingAdvice> Advice, int CacheHits, int StepsRun)
{
    /// <summary>The committed snapshot of the final stage's root filesystem (null: empty), for <c>--output</c>.</summary>
    public string? ChainId { get; init; }
}
