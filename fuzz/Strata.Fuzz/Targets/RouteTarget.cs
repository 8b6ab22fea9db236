using System.Text;
using Strata.Registry.Api;

namespace Strata.Fuzz.Targets;

/// <summary>
/// The registry's <c>/v2/...</c> route parser, then the name grammar the API checks each parsed repository
/// against (both regular expressions: a backtracking blow-up would show as a hang).
/// </summary>
public sealed class RouteTarget : IFuzzTarget
{
    public string Name => "route";

    public Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var route = RegistryRouteParser.Parse(Encoding.UTF8.GetString(input));
        if (route.Repository is { } repo)
        {
            _ = RegistryRouteParser.IsValidName(repo);
        }

        return Task.CompletedTask;
    }
}
