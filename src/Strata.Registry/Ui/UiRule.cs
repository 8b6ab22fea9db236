namespace Strata.Registry.Ui;

/// <summary>An access rule on the admin page.</summary>
public sealed record UiRule(string Subject, string Pattern, IReadOnlyList<string> Actions);
