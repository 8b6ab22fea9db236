namespace Strata.Fuzz;

/// <summary>
/// One fuzzed entry point. <see cref="RunAsync"/> feeds it one input; a <c>StrataException</c> is the
/// expected answer to bad input, anything else escaping (or a hang) is a bug the fuzzer reports as a crash.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name used by <c>make fuzz TARGET=</c> and as the folder under fuzz/corpus and fuzz/crashes.</summary>
    string Name { get; }

    Task RunAsync(byte[] input, CancellationToken cancellationToken);
}
