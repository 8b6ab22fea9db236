namespace Strata.Storage.Content;

/// <summary>Stable codes of the content store that callers branch on.</summary>
public static class ContentErrors
{
    /// <summary>Another writer holds the ingest (<see cref="Oci.ErrorKind.Unavailable"/>): wait, or fetch into a fresh one.</summary>
    public const string IngestLocked = "INGEST_LOCKED";
}
