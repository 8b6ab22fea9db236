using Strata.Build.Copying;

namespace Strata.Build.Building;

/// <summary>One thing a COPY/ADD writes: a file or directory from a source tree, inline heredoc text, or a download.</summary>
internal sealed record CopyItem
{
    public ResolvedSource? Source { get; init; }

    /// <summary>Heredoc or downloaded content: written as a file named <see cref="Name"/>.</summary>
    public string? ContentFile { get; init; }

    public byte[]? Inline { get; init; }

    public string Name { get; init; } = string.Empty;

    public uint Mode { get; init; } = 0b110_100_100;

    public DateTimeOffset? ModTime { get; init; }

    /// <summary>ADD of a local archive: unpack instead of copying.</summary>
    public bool Extract { get; init; }

    /// <summary>Where it goes (COPY --parents keeps its relative directory); null: the instruction's destination.</summary>
    public string? Dest { get; init; }

    /// <summary>What the copy skips (.dockerignore and <c>--exclude</c>), by context-relative path.</summary>
    public Func<string, bool>? IsExcluded { get; init; }

    /// <summary><c>file:HASH</c> or <c>dir:HASH</c>, as the classic builder names sources in history.</summary>
    public required string Hash { get; init; }
}
