namespace Strata.Build.Building;

/// <summary>How a build reports its steps (<c>--progress</c>).</summary>
public enum ProgressMode
{
    /// <summary>The classic builder's <c>Step N/M : ...</c> and <c> ---&gt; ID</c> lines.</summary>
    Classic,

    /// <summary>BuildKit's plain style: <c>#N [stage i/n] INSTRUCTION</c>, output lines with timestamps, <c>#N DONE 1.2s</c>.</summary>
    Plain,

    /// <summary>Nothing but errors.</summary>
    Quiet,
}
