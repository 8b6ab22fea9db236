using Strata.Cli.Output;
using Strata.Oci;

namespace Strata.Cli.Tests.Output;

public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(ErrorKind.NotFound, 1)]
    [InlineData(ErrorKind.Cancelled, 130)]
    [InlineData(ErrorKind.InvalidArgument, 125)]
    [InlineData(ErrorKind.DataLoss, 125)]
    [InlineData(ErrorKind.Unauthenticated, 125)]
    public void Exit_codes_follow_docker(ErrorKind kind, int code) => Assert.Equal(code, ExitCodes.For(kind));
}
