namespace Strata.Oci;

/// <summary>Stable <see cref="StrataException.Code"/>s that more than one project raises or branches on.</summary>
public static class ErrorCodes
{
    /// <summary>A blob had more or fewer bytes than its descriptor says (<see cref="ErrorKind.DataLoss"/>).</summary>
    public const string SizeMismatch = "SIZE_MISMATCH";
}
