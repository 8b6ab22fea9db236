using System.Diagnostics;
using Strata.Oci;
using Strata.Registry.Metadata;
using Strata.Storage.Content;

namespace Strata.Registry.Maintenance;

/// <summary>
/// Online garbage collection: applies retention rules, cancels abandoned uploads, then sweeps blobs
/// that no manifest references and that nothing touched within the grace period. It runs while the
/// registry serves pushes (no read-only window): the sweep's candidate selection and row removal
/// are one database transaction, serialized with manifest pushes; files go after the commit.
/// </summary>
public sealed class GarbageCollector
{
    private readonly RegistryStore _store;
    private readonly LocalContentStore _content;

    public GarbageCollector(RegistryStore store, LocalContentStore content)
    {
        _store = store;
        _content = content;
    }

    public async Task<GcReport> RunAsync(GcOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var now = _store.Time.GetUtcNow();
        var tagsGone = new List<(string Repo, string Tag)>();
        if (options.KeepTags is { } keep)
        {
            tagsGone.AddRange(await _store.TagsBeyondAsync(Math.Max(0, keep), cancellationToken).ConfigureAwait(false));
        }

        var manifestsGone = new List<(string Repo, string Digest)>();
        if (options.UntaggedOlderThan is { } ttl)
        {
            manifestsGone.AddRange(await _store.UntaggedManifestsAsync(now - ttl, tagsGone, cancellationToken).ConfigureAwait(false));
        }

        if (!options.DryRun)
        {
            foreach (var (repo, tag) in tagsGone)
            {
                await _store.DeleteTagAsync(repo, tag, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (repo, digest) in manifestsGone)
            {
                await _store.DeleteManifestAsync(repo, Digest.Parse(digest), cancellationToken).ConfigureAwait(false);
            }
        }

        var uploads = await _store.StaleUploadsAsync(now - options.UploadTtl, cancellationToken).ConfigureAwait(false);
        if (!options.DryRun)
        {
            foreach (var id in uploads)
            {
                await _content.AbortIngestAsync("upload-" + id, cancellationToken).ConfigureAwait(false);
                await _store.DeleteUploadAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }

        // In a dry run, blobs that retention would orphan are not counted: the rows are still there.
        var cutoff = now - options.Grace;
        var swept = await _store.SweepBlobsAsync(cutoff, options.DryRun, cancellationToken).ConfigureAwait(false);
        long freed = swept.Sum(b => b.Size);
        var deleted = swept.Select(b => b.Digest).ToList();
        if (!options.DryRun)
        {
            foreach (var (digest, _) in swept)
            {
                await _content.DeleteAsync(Digest.Parse(digest), cancellationToken).ConfigureAwait(false);
            }

            // Files a crash left behind (renamed into place, never recorded). A file is recorded right
            // after its rename, so only files older than any upload may live are leftovers.
            var orphanCutoff = now - (options.UploadTtl > options.Grace ? options.UploadTtl : options.Grace);
            var known = await _store.KnownBlobsAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var info in _content.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!known.Contains(info.Digest.ToString()) && info.CreatedAt < orphanCutoff)
                {
                    await _content.DeleteAsync(info.Digest, cancellationToken).ConfigureAwait(false);
                    deleted.Add(info.Digest.ToString());
                    freed += info.Size;
                }
            }

            // Ingests no session owns any more (proxy fetches, manifest writes interrupted by a crash).
            await foreach (var ingest in _content.ListIngestsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!ingest.Ref.StartsWith("upload-", StringComparison.Ordinal) && ingest.UpdatedAt < now - options.UploadTtl)
                {
                    await _content.AbortIngestAsync(ingest.Ref, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return new GcReport(options.DryRun,
            [.. tagsGone.Select(t => $"{t.Repo}:{t.Tag}")],
            [.. manifestsGone.Select(m => $"{m.Repo}@{m.Digest}")],
            deleted, freed, uploads.Count, watch.Elapsed);
    }
}
