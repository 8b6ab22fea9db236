namespace Strata.Registry.Maintenance;

/// <summary>What a garbage collection removed (or, in a dry run, would remove).</summary>
public sealed record GcReport(
    bool DryRun,
    IReadOnlyList<string> TagsDeleted,
    IReadOnlyList<string> ManifestsDeleted,
    IReadOnlyList<string> BlobsDeleted,
    long BytesFreed,
    int UploadsCancelled,
    TimeSpan Elapsed);
