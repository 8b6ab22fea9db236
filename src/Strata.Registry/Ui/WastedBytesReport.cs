namespace Strata.Registry.Ui;

/// <summary>Result of the wasted-bytes analysis: bytes in lower layers shadowed or deleted by upper ones.</summary>
public sealed record WastedBytesReport(long TotalBytes, long WastedBytes, IReadOnlyList<UiWastedFile> Files);
