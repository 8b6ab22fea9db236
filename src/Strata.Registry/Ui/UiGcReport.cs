namespace Strata.Registry.Ui;

/// <summary>The outcome of a garbage collection (or dry run) started from the UI.</summary>
public sealed record UiGcReport(bool DryRun, int Blobs, long Bytes, int Manifests, int Tags, int Uploads, double ElapsedMs, IReadOnlyList<string> Removed);
