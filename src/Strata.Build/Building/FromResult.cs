namespace Strata.Build.Building;

/// <summary>A stage after its FROM, with the base image's ONBUILD triggers still to run.</summary>
internal sealed record FromResult(StageState State, IReadOnlyList<string> PendingTriggers);
