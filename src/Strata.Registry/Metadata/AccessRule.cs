namespace Strata.Registry.Metadata;

/// <summary>
/// A grant: <see cref="Subject"/> (<c>user:NAME</c>, <c>group:NAME</c>, <c>authenticated</c> or
/// <c>anonymous</c>) may do <see cref="Actions"/> (pull, push, delete) on repositories matching
/// <see cref="Pattern"/> (<c>*</c> matches within a path segment, <c>**</c> across segments, so
/// <c>team-a/**</c> is everything under team-a).
/// </summary>
public sealed record AccessRule(long Id, string Subject, string Pattern, IReadOnlyList<string> Actions);
