using Strata.Oci;

namespace Strata.Cli.Output;

/// <summary>Docker's convention: 125 when strata itself fails, 1 for "no such ..." lookups.</summary>
public static class ExitCodes
{
    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => 1,
        ErrorKind.Cancelled => 130,
        _ => 125,
    };
}
