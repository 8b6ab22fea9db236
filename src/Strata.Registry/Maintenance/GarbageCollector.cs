using System.Diagnostics;
using Strata.Oci;
using Strata.Registry.Blobs;
using Strata.Registry.Metadata;

namespace Strata.Registry.Maintenance;

/// <summary>
/// Online garbage collection: applies retention rules, cancels abandoned uploads, then sweeps blobs
/// that no manifest references and that nothing touched within the grace period. It runs while the
/// registry serves pushes (no read-only window): the sweep's candidate selection and row removal
/// are one database transaction, serialized with manifest pushes; bytes go after the commit. One
/// collector runs at a time per metadata store (a file lock on SQLite, an advisory lock on
/// PostgreSQL shared by every replica): a second one waits or stops with GC_RUNNING.
/// </summary>
public sealed class GarbageCollector
{
    public const string Running = "GC_RUNNING";

    private readonly RegistryMetadata _meta;
    private readonly IRegistryBlobStore _blobs;

    public GarbageCollector(RegistryMetadata meta, IRegistryBlobStore blobs)
    {
        _meta = meta;
        _blobs = blobs;
    }

    public async Task<GcReport> RunAsync(GcOptions options, CancellationToken cancellationToken)
    {
        await using var held = await _meta.Gc.AcquireCollectorLockAsync(options.WaitForOther, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.Precondition(Running, "another garbage collection is running on this registry");
        return await CollectAsync(options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<GcReport> CollectAsync(GcOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var now = _meta.Time.GetUtcNow();
        var tagsGone = new List<(string Repo, string Tag)>();
        if (options.KeepTags is { } keep)
        {
            tagsGone.AddRange(await _meta.Gc.TagsBeyondAsync(Math.Max(0, keep), cancellationToken).ConfigureAwait(false));
        }

        var manifestsGone = new List<(string Repo, string Digest)>();
        if (options.UntaggedOlderThan is { } ttl)
        {
            manifestsGone.AddRange(await _meta.Gc.UntaggedManifestsAsync(now - ttl, tagsGone, cancellationToken).ConfigureAwait(false));
        }

        if (!options.DryRun)
        {
            foreach (var (repo, tag) in tagsGone)
            {
                await _meta.Manifests.DeleteTagAsync(repo, tag, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (repo, digest) in manifestsGone)
            {
                await _meta.Manifests.DeleteManifestAsync(repo, Digest.Parse(digest), cancellationToken).ConfigureAwait(false);
            }
        }

        var uploads = await _meta.Gc.StaleUploadsAsync(now - options.UploadTtl, cancellationToken).ConfigureAwait(false);
        if (!options.DryRun)
        {
            foreach (var upload in uploads)
            {
                await _blobs.AbortAsync(upload, cancellationToken).ConfigureAwait(false);
                await _meta.Uploads.DeleteUploadAsync(upload.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        // In a dry run, blobs that retention would orphan are not counted: the rows are still there.
        var cutoff = now - options.Grace;
        var swept = await _meta.Gc.SweepBlobsAsync(cutoff, options.DryRun, cancellationToken).ConfigureAwait(false);
        long freed = swept.Sum(b => b.Size);
        var deleted = swept.Select(b => b.Digest).ToList();
        if (!options.DryRun)
        {
            foreach (var (digest, _) in swept)
            {
                await _blobs.DeleteAsync(Digest.Parse(digest), cancellationToken).ConfigureAwait(false);
            }

            // Blobs a crash left behind (stored, never recorded). A blob is recorded right after it is
            // stored, so only blobs older than any upload may live are leftovers.
            var orphanCutoff = now - (options.UploadTtl > options.Grace ? options.UploadTtl : options.Grace);
            var known = await _meta.Gc.KnownBlobsAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var info in _blobs.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!known.Contains(info.Digest.ToString()) && info.CreatedAt < orphanCutoff)
                {
                    await _blobs.DeleteAsync(info.Digest, cancellationToken).ConfigureAwait(false);
                    deleted.Add(info.Digest.ToString());
                    freed += info.Size;
                }
            }

            await _blobs.SweepScratchAsync(now - options.UploadTtl, cancellationToken).ConfigureAwait(false);
        }

        return new GcReport(options.DryRun,
            [.. tagsGone.Select(t => $"{t.Repo}:{t.Tag}")],
            [.. manifestsGone.Select(m => $"{m.Repo}@{m.Digest}")],
            deleted, freed, uploads.Count, watch.Elapsed);
    }
}
