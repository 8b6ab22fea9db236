namespace Strata.Registry.Ui;

/// <summary>One row of the repositories page, read from the metadata database.</summary>
public sealed record UiRepository(string Name, int TagCount, long TotalSize, DateTimeOffset? LastPush);
