namespace Strata.Storage.Metadata;

/// <summary>One schema step of one area (images, containers, registry...). Versions start at 1 per area.</summary>
public sealed record Migration(string Area, int Version, string Sql);
