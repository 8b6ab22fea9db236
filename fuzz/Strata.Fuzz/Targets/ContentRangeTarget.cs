using System.Text;
using Strata.Registry.Api;

namespace Strata.Fuzz.Targets;

/// <summary>
/// The registry's byte-range headers: an upload's <c>Content-Range</c> and a blob GET's <c>Range</c>
/// (checked against a blob size taken from the input's first 8 bytes, so huge and zero sizes are tried).
/// </summary>
public sealed class ContentRangeTarget : IFuzzTarget
{
    public string Name => "content-range";

    public Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var size = input.Length >= 8 ? BitConverter.ToInt64(input, 0) & long.MaxValue : input.Length;
        var header = Encoding.UTF8.GetString(input, Math.Min(8, input.Length), Math.Max(0, input.Length - 8));
        if (ByteRanges.TryParseContentRange(header, out var start, out var end) && (start < 0 || end < start))
        {
            throw new FuzzInvariantException($"Content-Range \"{header}\" gave {start}-{end}");
        }

        if (ByteRanges.TryParseRange(header, size, out var from, out var to) && (from < 0 || to < from || to >= size))
        {
            throw new FuzzInvariantException($"Range \"{header}\" over {size} bytes gave {from}-{to}");
        }

        return Task.CompletedTask;
    }
}
