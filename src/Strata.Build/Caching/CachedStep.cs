using Strata.Oci;

namespace Strata.Build.Caching;

/// <summary>
/// The result of a build step: its image config (whose digest is the step's ID), the layers of the image so
/// far (manifest descriptors, bottom first) and the committed snapshot holding its root filesystem.
/// </summary>
public sealed record CachedStep(Digest ConfigDigest, IReadOnlyList<Descriptor> Layers, string? ChainId);
