namespace Strata.Distribution;

/// <summary>
/// A progress report for one blob (<see cref="Id"/> is docker's 12-hex short form) or, with <see cref="TransferStatus.Info"/>,
/// a line of text. <see cref="Current"/>/<see cref="Total"/> are bytes for Downloading/Pushing.
/// </summary>
public sealed record TransferEvent(TransferStatus Status, string Id, long Current = 0, long Total = 0, string? Detail = null);
