namespace Strata.Runtime.Containers;

/// <summary>How one run of a container ended: its exit code, whether the OOM killer ended it, or why it never started.</summary>
internal sealed record RunResult(int ExitCode, bool OomKilled, string? StartError);
