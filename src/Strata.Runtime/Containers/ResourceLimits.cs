namespace Strata.Runtime.Containers;

/// <summary><c>--memory</c>, <c>--memory-swap</c>, <c>--cpus</c>, <c>--cpu-shares</c>, <c>--pids-limit</c> (0: unlimited).</summary>
public sealed record ResourceLimits
{
    public long MemoryBytes { get; init; }

    /// <summary>Memory plus swap; -1 unlimited swap; 0 means twice <see cref="MemoryBytes"/> as docker.</summary>
    public long MemorySwapBytes { get; init; }

    /// <summary>CPUs in billionths (docker's NanoCPUs).</summary>
    public long NanoCpus { get; init; }

    public long CpuShares { get; init; }

    public long PidsLimit { get; init; }

    public bool IsEmpty => MemoryBytes == 0 && NanoCpus == 0 && CpuShares == 0 && PidsLimit == 0;
}
