namespace Strata.Runtime.Containers;

/// <summary>How one run of a container ended: its exit code, or why it never started.</summary>
internal sealed record RunResult(int ExitCode, string? StartError);
