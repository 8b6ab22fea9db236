namespace Strata.Registry.Ui;

/// <summary>A JSON error body for the UI endpoints.</summary>
public sealed record UiError(string Code, string Message);
