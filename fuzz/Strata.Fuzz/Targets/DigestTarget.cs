using System.Text;
using Strata.Oci;

namespace Strata.Fuzz.Targets;

/// <summary>Digest parsing; a digest that parses must print back to the same text.</summary>
public sealed class DigestTarget : IFuzzTarget
{
    public string Name => "digest";

    public Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(input);
        if (Digest.TryParse(text, out var digest) && Digest.Parse(digest.ToString()) != digest)
        {
            throw new FuzzInvariantException($"\"{text}\" does not round-trip: {digest}");
        }

        _ = Digest.Parse(text);
        return Task.CompletedTask;
    }
}
