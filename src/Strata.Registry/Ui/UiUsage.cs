namespace Strata.Registry.Ui;

/// <summary>A repository's stored bytes against its quota (null = unlimited).</summary>
public sealed record UiUsage(string Repository, long Used, long? Quota);
