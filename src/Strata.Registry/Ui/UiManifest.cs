namespace Strata.Registry.Ui;

/// <summary>A manifest's raw bytes as stored, with its media type.</summary>
public sealed record UiManifest(string Digest, string MediaType, ReadOnlyMemory<byte> Bytes);
