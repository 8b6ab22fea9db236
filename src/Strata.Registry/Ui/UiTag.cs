namespace Strata.Registry.Ui;

/// <summary>
/// One tag of a repository: the manifest it points at, its size (manifest + config + layers, or
/// the sum over an index's children), its platforms ("linux/amd64", ...) and when it was pushed.
/// </summary>
public sealed record UiTag(string Name, string Digest, string MediaType, long Size, DateTimeOffset? Pushed, IReadOnlyList<string>? Platforms = null);
