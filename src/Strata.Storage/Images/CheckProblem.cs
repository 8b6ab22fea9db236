namespace Strata.Storage.Images;

/// <summary>One finding of <c>system check</c>: what is wrong, with what, and whether <c>--repair</c> fixed it.</summary>
public sealed record CheckProblem(string Kind, string Subject, string Detail, bool Repaired);
