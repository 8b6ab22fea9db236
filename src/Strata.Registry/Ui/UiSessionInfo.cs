namespace Strata.Registry.Ui;

/// <summary>What the page scripts learn about the current session.</summary>
public sealed record UiSessionInfo(string? User, bool IsAdmin, bool AnonymousAllowed, string? Csrf);
