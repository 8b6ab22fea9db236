using System.Text;
using Strata.Oci;

namespace Strata.Fuzz.Targets;

/// <summary>Image reference parsing; a reference that parses must print back to one that parses to itself.</summary>
public sealed class ReferenceTarget : IFuzzTarget
{
    public string Name => "reference";

    public Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(input);
        if (Reference.TryParse(text, out var parsed))
        {
            var again = Reference.Parse(parsed.ToString());
            if (again != parsed)
            {
                throw new FuzzInvariantException($"\"{text}\" parsed to \"{parsed}\", which parses to \"{again}\"");
            }
        }

        _ = Reference.IsValidTag(text);
        _ = Reference.ParseRepository(text);
        return Task.CompletedTask;
    }
}
