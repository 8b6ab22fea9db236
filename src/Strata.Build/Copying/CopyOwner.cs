namespace Strata.Build.Copying;

/// <summary>The owner and mode COPY/ADD give what they write: root unless <c>--chown</c>, source permissions unless <c>--chmod</c>.</summary>
public sealed record CopyOwner(int Uid, int Gid, uint? Mode)
{
    public static CopyOwner Root { get; } = new(0, 0, null);

    /// <summary>True when the archive's own owners are kept (ADD of a tar without --chown).</summary>
    public bool KeepArchiveOwners { get; init; }
}
