using Strata.Storage.Layers;

namespace Strata.Fuzz.Targets;

/// <summary>The tar reader alone (<see cref="LayerReader"/> over <see cref="LayerTarReader"/>): headers, PAX, GNU long names, data.</summary>
public sealed class TarTarget : IFuzzTarget
{
    public string Name => "tar";

    public async Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(input, writable: false);
        await foreach (var entry in LayerReader.EnumerateAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            _ = entry.Path.Length + entry.LinkTarget.Length;
        }
    }
}
