namespace Strata.Runtime.Containers;

/// <summary>How a run's output and input are connected.</summary>
public enum AttachMode
{
    /// <summary>Under the monitor: output to the log only; stdin an open pipe with <c>-i</c>, else empty.</summary>
    Detached,

    /// <summary>Attached without a terminal: output to the console and the log; <c>-i</c> pipes the console's stdin.</summary>
    Pipes,

    /// <summary><c>-it</c>: the runtime gives the process a pseudo-terminal on the console (raw mode, resize, Ctrl-C).</summary>
    Terminal,
}
