namespace Strata.Registry.Ui;

/// <summary>A signed-in registry user as the UI sees it.</summary>
public sealed record UiUser(string Name, bool IsAdmin);
