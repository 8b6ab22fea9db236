namespace Strata.Runtime.Containers;

/// <summary>One line of <c>diff</c>: <c>A</c> added, <c>C</c> changed, <c>D</c> deleted.</summary>
public sealed record ContainerChange(char Kind, string Path);
