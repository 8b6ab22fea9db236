namespace Strata.Fuzz;

/// <summary>A harness found an input that parsed but broke a property (a round trip that changed the value).</summary>
public sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException() { }

    public FuzzInvariantException(string message) : base(message) { }

    public FuzzInvariantException(string message, Exception innerException) : base(message, innerException) { }
}
