namespace Strata.Runtime.Bundles;

/// <summary>One mount of the OCI spec, host side resolved (a volume's <c>_data</c> directory, a bind's host path).</summary>
public sealed record BundleMount(string Destination, string Type, string Source, IReadOnlyList<string> Options);
