namespace Strata.Registry.Ui;

/// <summary>The repository page's data: tags plus what the caller may do there.</summary>
public sealed record UiRepositoryTags(string Repository, IReadOnlyList<UiTag> Tags, bool CanDelete);
