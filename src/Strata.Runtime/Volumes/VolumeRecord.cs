namespace Strata.Runtime.Volumes;

/// <summary>A named (or anonymous) local volume: its data lives in <see cref="Mountpoint"/>.</summary>
public sealed record VolumeRecord(string Name, string Driver, DateTimeOffset Created, IReadOnlyDictionary<string, string> Labels, bool Anonymous, string Mountpoint);
