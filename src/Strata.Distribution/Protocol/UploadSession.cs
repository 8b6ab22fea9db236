namespace Strata.Distribution.Protocol;

/// <summary>
/// A blob upload in progress at <see cref="Location"/> with <see cref="Offset"/> bytes received, or a blob that
/// is already there (<see cref="Completed"/>: mounted from another repository).
/// </summary>
public sealed record UploadSession(Uri Location, long Offset, bool Completed);
