using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Strata.Oci;

namespace Strata.Storage.Content;

/// <summary>
/// Content store on the local filesystem (containerd plugins/content/local): committed blobs under
/// <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>, writes in <c>ingest/&lt;key&gt;/</c>. Paths are only ever
/// built from validated digests and hashed ingest refs.
/// </summary>
public sealed class LocalContentStore : IContentStore
{
    private readonly string _blobs;
    private readonly string _ingest;

    public LocalContentStore(string root)
    {
        Root = root;
        _blobs = Path.Combine(root, "blobs");
        _ingest = Path.Combine(root, "ingest");
        Directory.CreateDirectory(Path.Combine(_blobs, "sha256"));
        Directory.CreateDirectory(Path.Combine(_blobs, "sha512"));
        Directory.CreateDirectory(_ingest);
    }

    public string Root { get; }

    /// <summary>The file path of a committed blob (it may not exist).</summary>
    public string BlobPath(Digest digest) => Path.Combine(_blobs, digest.AlgorithmName, digest.Encoded);

    public Task<ContentInfo?> InfoAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var fi = new FileInfo(BlobPath(digest));
        return Task.FromResult(fi.Exists ? new ContentInfo(digest, fi.Length, fi.LastWriteTimeUtc) : null);
    }

    public Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        try
        {
            Stream s = new FileStream(BlobPath(digest), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
            return Task.FromResult(s);
        }
        catch (FileNotFoundException)
        {
            throw StrataException.NotFound("BLOB_UNKNOWN", $"blob {digest} not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw StrataException.NotFound("BLOB_UNKNOWN", $"blob {digest} not found");
        }
    }

    public async Task<IContentWriter> OpenWriterAsync(string ingestRef, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ingestRef);
        var dir = IngestDir(ingestRef);
        Directory.CreateDirectory(dir);
        var refFile = Path.Combine(dir, "ref");
        if (!File.Exists(refFile))
        {
            await File.WriteAllTextAsync(refFile, ingestRef, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(dir, "startedat"), DateTimeOffset.UtcNow.ToString("O"), cancellationToken).ConfigureAwait(false);
        }

        FileStream data;
        try
        {
            // FileShare.None takes an exclusive advisory lock on Unix: one writer per ingest, across processes.
            data = new FileStream(Path.Combine(dir, "data"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        }
        catch (IOException e)
        {
            throw StrataException.Unavailable(ContentErrors.IngestLocked, $"ingest {ingestRef} is being written by another writer", e);
        }

        var writer = new LocalContentWriter(this, ingestRef, dir, data);
        await writer.RestoreAsync(cancellationToken).ConfigureAwait(false);
        return writer;
    }

    public async IAsyncEnumerable<ContentInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var alg in new[] { "sha256", "sha512" })
        {
            var dir = new DirectoryInfo(Path.Combine(_blobs, alg));
            if (!dir.Exists)
            {
                continue;
            }

            foreach (var f in dir.EnumerateFiles())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Digest.TryParse($"{alg}:{f.Name}", out var d))
                {
                    yield return new ContentInfo(d, f.Length, f.LastWriteTimeUtc);
                }
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<IngestStatus> ListIngestsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var dir in Directory.EnumerateDirectories(_ingest))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var status = await StatusOfDirAsync(dir, cancellationToken).ConfigureAwait(false);
            if (status is not null)
            {
                yield return status;
            }
        }
    }

    public Task<IngestStatus?> IngestStatusAsync(string ingestRef, CancellationToken cancellationToken = default) =>
        StatusOfDirAsync(IngestDir(ingestRef), cancellationToken);

    public Task AbortIngestAsync(string ingestRef, CancellationToken cancellationToken = default)
    {
        var dir = IngestDir(ingestRef);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        return Task.CompletedTask;
    }

    internal string IngestDir(string ingestRef) =>
        Path.Combine(_ingest, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ingestRef))));

    internal string TempDir => _ingest;

    private static async Task<IngestStatus?> StatusOfDirAsync(string dir, CancellationToken cancellationToken)
    {
        var refFile = Path.Combine(dir, "ref");
        if (!File.Exists(refFile))
        {
            return null;
        }

        try
        {
            var data = new FileInfo(Path.Combine(dir, "data"));
            var started = File.Exists(Path.Combine(dir, "startedat"))
                && DateTimeOffset.TryParse(await File.ReadAllTextAsync(Path.Combine(dir, "startedat"), cancellationToken).ConfigureAwait(false), out var s)
                ? s
                : new DateTimeOffset(Directory.GetCreationTimeUtc(dir));
            return new IngestStatus(
                await File.ReadAllTextAsync(refFile, cancellationToken).ConfigureAwait(false),
                data.Exists ? data.Length : 0,
                started,
                data.Exists ? data.LastWriteTimeUtc : started);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Committed or aborted while we looked: no longer an ingest.
            return null;
        }
    }
}
