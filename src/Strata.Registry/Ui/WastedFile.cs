namespace Strata.Registry.Ui;

/// <summary>A path whose earlier copies are hidden by a later layer (overwritten or whited out).</summary>
public sealed record WastedFile(string Path, long WastedBytes, int Copies);
