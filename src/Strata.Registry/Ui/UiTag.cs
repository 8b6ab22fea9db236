namespace Strata.Registry.Ui;

/// <summary>One tag of a repository: the manifest it points at and when it was pushed.</summary>
public sealed record UiTag(string Name, string Digest, string MediaType, long Size, DateTimeOffset? Pushed);
