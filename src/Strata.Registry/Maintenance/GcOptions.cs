namespace Strata.Registry.Maintenance;

/// <summary>
/// What a garbage collection may remove. Blobs nothing references are swept only once untouched
/// (not uploaded, mounted or referenced by a push) for <see cref="Grace"/>, so a push in progress
/// never loses a blob it just uploaded.
/// </summary>
public sealed record GcOptions
{
    public bool DryRun { get; init; }

    public TimeSpan Grace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Retention: keep only the newest N tags of each repository (by push time).</summary>
    public int? KeepTags { get; init; }

    /// <summary>Retention: delete manifests with no tag that are older than this.</summary>
    public TimeSpan? UntaggedOlderThan { get; init; }

    /// <summary>Upload sessions idle longer than this are cancelled.</summary>
    public TimeSpan UploadTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Wait for a collection running elsewhere (another process or replica) instead of stopping with GC_RUNNING.</summary>
    public bool WaitForOther { get; init; }
}
