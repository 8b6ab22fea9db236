namespace Strata.Registry.Ui;

/// <summary>One page of repositories plus the total count matching the filter.</summary>
public sealed record UiRepositoryPage(IReadOnlyList<UiRepository> Items, int Total);
