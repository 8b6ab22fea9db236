namespace Strata.Build.Analysis;

/// <summary>What a <see cref="SlimmingAdvice"/> is about.</summary>
public enum SlimmingKind
{
    /// <summary>A later layer deletes or overwrites files an earlier layer added; the bytes still ship.</summary>
    Wasted,

    /// <summary>A package manager cache (apt lists, apk cache, pip/npm caches) left in a layer.</summary>
    PackageCache,
}
