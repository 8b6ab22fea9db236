using System.Diagnostics;
using Strata.Oci;
using Strata.Registry.Blobs;
using Strata.Registry.Metadata;

namespace Strata.Registry.Maintenance;

/// <summary>
/// <c>strata registry migrate</c>: copies a registry (usually a single machine's SQLite + directory)
/// onto other backends (PostgreSQL + S3) while the source keeps serving reads. Blobs are copied
/// through the target's verified put (digest checked before they become visible), then links,
/// manifests (re-read from their bytes; children before the indexes that list them), tags, users,
/// access rules and quotas. Running it again copies what is new; what is there already is kept.
/// </summary>
public sealed class RegistryMigrator
{
    private readonly RegistryMetadata _fromMeta;
    private readonly IBlobStore _fromBlobs;
    private readonly RegistryMetadata _toMeta;
    private readonly IBlobStore _toBlobs;

    public RegistryMigrator(RegistryMetadata fromMeta, IBlobStore fromBlobs, RegistryMetadata toMeta, IBlobStore toBlobs)
    {
        _fromMeta = fromMeta;
        _fromBlobs = fromBlobs;
        _toMeta = toMeta;
        _toBlobs = toBlobs;
    }

    public async Task<MigrationReport> RunAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        int manifests = 0, tags = 0, blobs = 0;
        long bytes = 0;
        var copied = new HashSet<Digest>();
        var repos = await _fromMeta.Catalog.SearchRepositoriesAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var repo in repos)
        {
            foreach (var (digest, size) in await _fromMeta.Catalog.ListLinkedBlobsAsync(repo, cancellationToken).ConfigureAwait(false))
            {
                if (copied.Add(digest) && await CopyBlobAsync(digest, size, cancellationToken).ConfigureAwait(false))
                {
                    blobs++;
                    bytes += size;
                }

                await _toMeta.Blobs.LinkBlobAsync(repo, digest, size, null, cancellationToken).ConfigureAwait(false);
            }

            // Children first: an index is stored only once every manifest it lists is there.
            var pending = (await _fromMeta.Catalog.ListManifestsAsync(repo, cancellationToken).ConfigureAwait(false)).ToList();
            while (pending.Count > 0)
            {
                var stored = new List<StoredManifest>();
                foreach (var m in pending)
                {
                    var facts = ManifestFacts.Parse(await ReadAsync(m, cancellationToken).ConfigureAwait(false), m.MediaType);
                    if (facts.Children.Any(c => pending.Any(p => p.Digest == c.Digest)))
                    {
                        continue;
                    }

                    if (copied.Add(m.Digest) && await CopyBlobAsync(m.Digest, m.Size, cancellationToken).ConfigureAwait(false))
                    {
                        blobs++;
                        bytes += m.Size;
                    }

                    await _toMeta.Manifests.PutManifestAsync(repo, m.Digest, m.Size, facts, [], null, cancellationToken).ConfigureAwait(false);
                    stored.Add(m);
                    manifests++;
                }

                if (stored.Count == 0)
                {
                    throw StrataException.DataLoss(RegistryErrors.ManifestBlobUnknown, $"{repo}: indexes refer to each other; cannot order them");
                }

                pending.RemoveAll(stored.Contains);
            }

            foreach (var t in await _fromMeta.Catalog.TagInfosAsync(repo, cancellationToken).ConfigureAwait(false))
            {
                await _toMeta.Manifests.TagAsync(repo, t.Name, Digest.Parse(t.Digest), cancellationToken).ConfigureAwait(false);
                tags++;
            }

            progress?.Report(repo);
        }

        var users = await _fromMeta.Access.ListUsersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var u in users)
        {
            await _toMeta.Access.SaveUserAsync(u.Name, u.Hash, u.Admin, u.Groups, replace: true, cancellationToken).ConfigureAwait(false);
        }

        var rules = await _fromMeta.Access.ListRulesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var r in rules)
        {
            await _toMeta.Access.GrantAsync(r.Subject, r.Pattern, r.Actions, cancellationToken).ConfigureAwait(false);
        }

        var quotas = await _fromMeta.Access.ListQuotasAsync(cancellationToken).ConfigureAwait(false);
        foreach (var q in quotas)
        {
            await _toMeta.Access.SetQuotaAsync(q.Pattern, q.Bytes, cancellationToken).ConfigureAwait(false);
        }

        return new MigrationReport(repos.Count, manifests, tags, blobs, bytes, users.Count, rules.Count, quotas.Count, watch.Elapsed);
    }

    /// <summary>Copies a blob the target lacks (verified by the target's put); false when it was there already.</summary>
    private async Task<bool> CopyBlobAsync(Digest digest, long size, CancellationToken ct)
    {
        if (await _toBlobs.SizeAsync(digest, ct).ConfigureAwait(false) == size)
        {
            return false;
        }

        await using var source = await _fromBlobs.OpenReadAsync(digest, 0, null, ct).ConfigureAwait(false);
        await _toBlobs.PutAsync(digest, source, size, ct).ConfigureAwait(false);
        return true;
    }

    private async Task<byte[]> ReadAsync(StoredManifest m, CancellationToken ct)
    {
        await using var s = await _fromBlobs.OpenReadAsync(m.Digest, 0, m.Size, ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await s.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
