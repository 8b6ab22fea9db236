using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Storage.Images;

/// <summary>
/// <c>system check [--repair]</c>: re-hashes every blob, checks every image has its blobs and every committed
/// layer snapshot its directory. Repair deletes corrupt blobs, removes stale staging snapshots and abandoned
/// ingests, and re-unpacks layer snapshots from their blobs; images that lost a blob are reported as broken.
/// </summary>
public sealed class StoreChecker
{
    private readonly ImageStore _images;
    private readonly IContentStore _content;
    private readonly MetadataDb _db;

    public StoreChecker(ImageStore images, IContentStore content, MetadataDb db)
    {
        _images = images;
        _content = content;
        _db = db;
    }

    public async Task<CheckReport> CheckAsync(bool repair, CancellationToken cancellationToken = default)
    {
        var problems = new List<CheckProblem>();
        var notes = new List<string>();
        var broken = new List<string>();

        // 1. Every blob against its digest.
        var blobs = 0;
        var present = new HashSet<Digest>();
        await foreach (var info in _content.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            blobs++;
            Digest actual;
            try
            {
                await using var s = await _content.OpenReadAsync(info.Digest, cancellationToken).ConfigureAwait(false);
                actual = await Digest.ComputeAsync(s, info.Digest.Algorithm, cancellationToken).ConfigureAwait(false);
            }
            catch (StrataException e) when (e.Kind == ErrorKind.NotFound)
            {
                continue; // deleted meanwhile by another process
            }

            if (actual == info.Digest)
            {
                present.Add(info.Digest);
                continue;
            }

            if (repair)
            {
                await _content.DeleteAsync(info.Digest, cancellationToken).ConfigureAwait(false);
            }

            problems.Add(new CheckProblem("corrupt-blob", info.Digest.ToString(), $"content hashes to {actual}", repair));
        }

        // 2. Every image has its manifest, config and layers.
        var images = await _images.ListAsync(cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var referenced = new HashSet<Digest>();
        var chainsOk = new Dictionary<string, ImageRecord>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var layers = await _images.LayersAsync(image, cancellationToken).ConfigureAwait(false);
            var needed = layers.Select(l => l.Digest).Append(image.Id).Append(image.ManifestDigest).ToList();
            referenced.UnionWith(needed);
            var missing = needed.Where(d => !present.Contains(d)).ToList();
            var label = image.Names.Count > 0 ? $"{image.Id.Short} ({string.Join(", ", image.Names.Select(n => n.FamiliarString))})" : image.Id.Short;
            if (missing.Count > 0)
            {
                broken.Add($"{label}: missing {string.Join(", ", missing)}; pull or load it again");
                continue;
            }

            foreach (var l in layers)
            {
                chainsOk.TryAdd(l.ChainId.ToString(), image);
            }
        }

        foreach (var info in await _content.ListAsync(cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!referenced.Contains(info.Digest))
            {
                notes.Add($"unreferenced blob {info.Digest} ({info.Size} bytes), left by an interrupted import/load/pull");
            }
        }

        // 3. Snapshots: committed layers have their directory; staging snapshots of dead processes go.
        var snapshotsChecked = 0;
        var toUnpack = new Dictionary<Digest, ImageRecord>();
        if (await _images.SnapshotsAsync(cancellationToken).ConfigureAwait(false) is { } snapshots)
        {
            var all = await snapshots.ListAsync(cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var s in all)
            {
                snapshotsChecked++;
                if (s.Kind == SnapshotKind.Active && s.Name.StartsWith(ImageStore.StagingPrefix, StringComparison.Ordinal))
                {
                    var pid = s.Name[ImageStore.StagingPrefix.Length..].Split('-')[0];
                    if (int.TryParse(pid, out var p) && !ProcessAlive(p))
                    {
                        if (repair)
                        {
                            await TryRemoveAsync(snapshots, s.Name, cancellationToken).ConfigureAwait(false);
                        }

                        notes.Add($"stale unpack staging snapshot {s.Name} of dead process {p}" + (repair ? " (removed)" : " (remove with --repair)"));
                    }

                    continue;
                }

                if (s.Kind != SnapshotKind.Committed)
                {
                    continue;
                }

                var dir = snapshots.DirectoryOf(s.Name);
                if (dir is not null && Directory.Exists(dir))
                {
                    continue;
                }

                var repaired = false;
                if (repair && chainsOk.TryGetValue(s.Name, out var owner))
                {
                    repaired = await TryRemoveAsync(snapshots, s.Name, cancellationToken).ConfigureAwait(false);
                    if (repaired)
                    {
                        toUnpack[owner.Id] = owner;
                    }
                }
                else if (repair)
                {
                    repaired = await TryRemoveAsync(snapshots, s.Name, cancellationToken).ConfigureAwait(false);
                }

                problems.Add(new CheckProblem("missing-snapshot", s.Name, $"layer directory {dir ?? "(none)"} is gone", repaired));
            }

            foreach (var image in toUnpack.Values)
            {
                await _images.UnpackAsync(image, cancellationToken).ConfigureAwait(false);
                notes.Add($"re-unpacked {image.Id.Short} from its blobs");
            }
        }

        // 4. Abandoned ingests (a killed import/load/pull): harmless, resumable or removable.
        await foreach (var ingest in _content.ListIngestsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!repair)
            {
                notes.Add($"partial write {ingest.Ref} ({ingest.Offset} bytes, started {ingest.StartedAt:u})");
                continue;
            }

            try
            {
                // Only an ingest nobody holds can be opened; one being written stays.
                await using (await _content.OpenWriterAsync(ingest.Ref, cancellationToken).ConfigureAwait(false))
                {
                }

                await _content.AbortIngestAsync(ingest.Ref, cancellationToken).ConfigureAwait(false);
                notes.Add($"removed abandoned partial write {ingest.Ref} ({ingest.Offset} bytes)");
            }
            catch (StrataException e) when (e.Kind == ErrorKind.Unavailable)
            {
                notes.Add($"partial write {ingest.Ref} is in progress");
            }
        }

        _ = _db;
        return new CheckReport(blobs, images.Count, snapshotsChecked, problems, broken, notes);
    }

    private static async Task<bool> TryRemoveAsync(ISnapshotter snapshots, string key, CancellationToken cancellationToken)
    {
        try
        {
            await snapshots.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StrataException)
        {
            return false;
        }
    }

    private static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}");
}
