using Strata.Oci;

namespace Strata.Runtime.Oci;

/// <summary>Exit code and output of one runtime command.</summary>
public sealed record RuntimeResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The runtime's own message, without its timestamp/level prefix when it logs JSON-ish lines.</summary>
    public string Message => string.Join(' ', Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim();

    public void ThrowIfFailed(string what)
    {
        if (ExitCode != 0)
        {
            throw StrataException.Unavailable("RUNTIME_FAILED", $"cannot {what}: {(Message.Length > 0 ? Message : $"runtime exited with {ExitCode}")}");
        }
    }
}
