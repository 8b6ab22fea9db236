namespace Strata.Runtime.Containers;

/// <summary><c>exec [-d] [-i] [-t] [-e K=V] [-w DIR] [-u USER] CONTAINER COMMAND...</c>.</summary>
public sealed record ExecOptions
{
    public required IReadOnlyList<string> Command { get; init; }

    public bool Tty { get; init; }

    public bool Interactive { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    /// <summary><c>-d</c>: start the command in the background and return at once.</summary>
    public bool Detach { get; init; }
}
