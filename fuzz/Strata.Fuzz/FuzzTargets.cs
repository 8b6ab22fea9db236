using Strata.Fuzz.Targets;
using Strata.Oci;

namespace Strata.Fuzz;

/// <summary>Every harness, by name, and the one place that decides what counts as a crash.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new TarTarget(),
        new LayerTarget(),
        new OciTarget(),
        new ReferenceTarget(),
        new DigestTarget(),
        new DockerfileTarget(),
        new DockerIgnoreTarget(),
        new RouteTarget(),
        new ContentRangeTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>Runs one input: a <see cref="StrataException"/> is the expected answer to bad input and is swallowed.</summary>
    public static async Task RunOneAsync(IFuzzTarget target, byte[] input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            await target.RunAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (StrataException)
        {
        }
    }
}
