namespace Strata.Registry.Ui;

/// <summary>The UI's row for a path whose earlier copies are hidden by a later layer (overwritten or whited out).</summary>
public sealed record UiWastedFile(string Path, long WastedBytes, int Copies);
