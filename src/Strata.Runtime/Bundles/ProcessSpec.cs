namespace Strata.Runtime.Bundles;

/// <summary>The container's process, resolved against its root filesystem (user IDs, PATH lookup, HOME).</summary>
public sealed record ProcessSpec
{
    public required IReadOnlyList<string> Args { get; init; }

    public required IReadOnlyList<string> Env { get; init; }

    public required string Cwd { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    public IReadOnlyList<int> AdditionalGids { get; init; } = [];

    public bool Terminal { get; init; }
}
