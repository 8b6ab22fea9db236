using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary><c>commit [-m] [-a] [-c]... [--pause] CONTAINER [REPO[:TAG]]</c>.</summary>
public sealed record CommitRequest
{
    public required string Container { get; init; }

    public Reference? Name { get; init; }

    public string? Message { get; init; }

    public string? Author { get; init; }

    public IReadOnlyList<string> Changes { get; init; } = [];

    public bool Pause { get; init; } = true;
}
