namespace Strata.Distribution;

/// <summary>The per-layer states docker prints during pull and push (pkg/progress, distribution/xfer).</summary>
public enum TransferStatus
{
    /// <summary>A free-form line (mirror fallback, "Pulling from ...").</summary>
    Info,
    PullingFsLayer,
    Waiting,
    Downloading,
    VerifyingChecksum,
    DownloadComplete,
    Extracting,
    PullComplete,
    AlreadyExists,
    Retrying,
    Preparing,
    Pushing,
    Pushed,
    LayerAlreadyExists,
    MountedFrom,
}
