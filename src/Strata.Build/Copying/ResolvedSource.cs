namespace Strata.Build.Copying;

/// <summary>One COPY/ADD source after glob expansion: its host path and its path relative to the source tree.</summary>
public sealed record ResolvedSource(string HostPath, string RelativePath, bool IsDirectory);
