namespace Strata.Runtime.Containers;

/// <summary>
/// Where an attached run without a terminal (<see cref="AttachMode.Pipes"/>) reads input and copies output:
/// the front end's own streams (the CLI passes the console's). Opened only when a run needs them.
/// </summary>
public sealed record ContainerStdio(Func<Stream> OpenStdin, Func<Stream> OpenStdout, Func<Stream> OpenStderr)
{
    /// <summary>No front end: output goes to the log only, stdin is empty.</summary>
    public static readonly ContainerStdio None = new(() => Stream.Null, () => Stream.Null, () => Stream.Null);
}
