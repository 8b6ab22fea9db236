using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Strata.Oci;
using Strata.Registry.Metadata;
using Strata.Storage.Content;

namespace Strata.Registry.Blobs;

/// <summary>
/// Blobs in an S3 bucket (<c>s3://BUCKET/prefix</c>) through AWSSDK.S3, laid out as
/// <c>prefix/blobs/ALG/XX/HEX</c>. A blob becomes visible only once its digest is verified: a whole
/// blob is hashed while it streams and its multipart upload is completed only on a match; a chunked
/// upload is an S3 multipart upload to <c>prefix/uploads/ID</c> whose parts start at fixed
/// <see cref="PartSize"/> boundaries (chunks below S3's 5 MiB minimum wait in the session's tail in
/// the metadata store), so any replica can take the next chunk; at the end it is verified and
/// copied under its digest. The digest state of an upload stays in the replica that wrote it; a
/// replica finishing someone else's upload reads the assembled object back to hash it.
/// </summary>
public sealed class S3BlobStore : IRegistryBlobStore
{
    /// <summary>Part size of multipart uploads (S3's minimum is 5 MiB except for the last part).</summary>
    public const int PartSize = 8 * 1024 * 1024;

    private readonly AmazonS3Client _s3;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly IUploadSessionStore _sessions;
    private readonly ConcurrentDictionary<string, (IncrementalHash Hash, long Offset)> _hashes = new(StringComparer.Ordinal);

    private S3BlobStore(AmazonS3Client s3, string bucket, string prefix, IUploadSessionStore sessions, bool http)
    {
        _s3 = s3;
        _bucket = bucket;
        _prefix = prefix;
        _sessions = sessions;
        Http = http;
    }

    public string Location => $"s3://{_bucket}/{_prefix.TrimEnd('/')}".TrimEnd('/');

    private bool Http { get; }

    /// <summary>Opens <c>s3://BUCKET[/prefix]</c> with <paramref name="settings"/> (already merged with the AWS environment).</summary>
    public static S3BlobStore Open(string spec, S3Settings settings, IUploadSessionStore sessions)
    {
        var rest = spec["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
        {
            throw StrataException.Invalid(RegistryErrors.BackendInvalid, $"invalid blob store {spec}: expected s3://BUCKET[/prefix] with a valid bucket name");
        }

        var config = new AmazonS3Config
        {
            // Ceph and other S3-compatible servers: no flexible checksums (see docs/scale-out.md).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 3,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var region = settings.Region ?? "us-east-1";
        if (settings.Endpoint is { } endpoint)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw StrataException.Invalid(RegistryErrors.BackendInvalid, $"invalid S3 endpoint {endpoint}: give an http(s) URL");
            }

            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
            config.ForcePathStyle = settings.PathStyle ?? true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
            config.ForcePathStyle = settings.PathStyle ?? false;
        }

        var client = settings.AccessKey is { } ak && settings.SecretKey is { } sk
            ? new AmazonS3Client(settings.SessionToken is { } token ? new SessionAWSCredentials(ak, sk, token) : new BasicAWSCredentials(ak, sk), config)
            : new AmazonS3Client(config);
        return new S3BlobStore(client, bucket, prefix.Length == 0 ? string.Empty : prefix + "/", sessions,
            settings.Endpoint?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true);
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + "blobs/", MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(e);
        }
    }

    public async Task<long?> SizeAsync(Digest digest, CancellationToken cancellationToken) =>
        await HeadAsync(BlobKey(digest), cancellationToken).ConfigureAwait(false);

    public async Task<Stream> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = BlobKey(digest) };
        if (offset > 0 || length is not null)
        {
            request.ByteRange = length is { } n ? new ByteRange(offset, offset + n - 1) : new ByteRange($"bytes={offset}-");
        }

        try
        {
            var response = await _s3.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw RegistryErrors.BlobNotFound(digest);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw Unavailable(e);
        }
    }

    public string? LocalPath(Digest digest) => null;

    public async Task<Uri?> RedirectUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var url = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = BlobKey(digest),
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow + lifetime,
            Protocol = Http ? Protocol.HTTP : Protocol.HTTPS,
        }).ConfigureAwait(false);
        return new Uri(url);
    }

    public async Task<long> PutAsync(Digest digest, Stream content, long? expectedSize, CancellationToken cancellationToken)
    {
        var key = BlobKey(digest);
        using var hash = IncrementalHash.CreateHash(HashName(digest));
        var buffer = new byte[PartSize];
        var first = await ReadFullAsync(content, buffer, cancellationToken).ConfigureAwait(false);
        hash.AppendData(buffer, 0, first);
        if (first < PartSize)
        {
            Verify(digest, hash, first, expectedSize);
            if (await HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
            {
                await PutObjectAsync(key, buffer.AsMemory(0, first), cancellationToken).ConfigureAwait(false);
            }

            return first;
        }

        // Large: a multipart upload straight to the blob's key, completed only when the digest matches.
        var uploadId = (await Call(() => _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, cancellationToken)).ConfigureAwait(false)).UploadId;
        var parts = new List<S3UploadPart>();
        try
        {
            long total = first;
            parts.Add(await UploadPartAsync(key, uploadId, 1, buffer.AsMemory(0, first), cancellationToken).ConfigureAwait(false));
            while (true)
            {
                var n = await ReadFullAsync(content, buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, n);
                total += n;
                parts.Add(await UploadPartAsync(key, uploadId, parts.Count + 1, buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false));
            }

            Verify(digest, hash, total, expectedSize);
            await CompleteMultipartAsync(key, uploadId, parts, cancellationToken).ConfigureAwait(false);
            return total;
        }
        catch
        {
            await AbortMultipartAsync(key, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = BlobKey(digest);
        if (await HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await Call(() => _s3.DeleteObjectAsync(_bucket, key, cancellationToken)).ConfigureAwait(false);
        return true;
    }

    public async IAsyncEnumerable<ContentInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + "blobs/" };
        while (true)
        {
            var page = await Call(() => _s3.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                var parts = o.Key[request.Prefix.Length..].Split('/');
                if (parts.Length == 3 && Digest.TryParse($"{parts[0]}:{parts[2]}", out var d))
                {
                    yield return new ContentInfo(d, o.Size ?? 0, o.LastModified ?? DateTime.UtcNow);
                }
            }

            if (page.IsTruncated != true)
            {
                break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public async Task SweepScratchAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        // Multipart uploads and assembled upload objects no session finished (a replica died, a client left).
        var uploads = await Call(() => _s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _prefix }, cancellationToken)).ConfigureAwait(false);
        foreach (var u in uploads.MultipartUploads ?? [])
        {
            if (u.Initiated is { } started && started.ToUniversalTime() < before.UtcDateTime)
            {
                await AbortMultipartAsync(u.Key, u.UploadId).ConfigureAwait(false);
            }
        }

        var staged = await Call(() => _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + "uploads/" }, cancellationToken)).ConfigureAwait(false);
        foreach (var o in staged.S3Objects ?? [])
        {
            if (o.LastModified is { } modified && modified.ToUniversalTime() < before.UtcDateTime)
            {
                await Call(() => _s3.DeleteObjectAsync(_bucket, o.Key, cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    public Task<long> UploadOffsetAsync(StoredUpload upload, CancellationToken cancellationToken) => Task.FromResult(upload.Offset);

    public async Task<long> AppendAsync(StoredUpload upload, Stream data, Action<long> checkStart, CancellationToken cancellationToken)
    {
        checkStart(upload.Offset);
        var (saved, _) = await WriteAsync(upload, data, final: false, cancellationToken).ConfigureAwait(false);
        return saved.Offset;
    }

    public async Task<long> CompleteAsync(StoredUpload upload, Stream? data, Action<long> checkStart, Digest digest, CancellationToken cancellationToken)
    {
        if (data is not null)
        {
            checkStart(upload.Offset);
        }

        var (done, state) = await WriteAsync(upload, data ?? Stream.Null, final: true, cancellationToken).ConfigureAwait(false);
        var hashed = _hashes.TryRemove(upload.Id, out var h) && h.Offset == done.Offset ? h.Hash : null;
        try
        {
            if (state.UploadId is null)
            {
                // Smaller than one part: the bytes are the tail, verified and stored in one PUT.
                using var tailHash = IncrementalHash.CreateHash(HashName(digest));
                tailHash.AppendData(done.Tail.Span);
                Verify(digest, tailHash, done.Tail.Length, null);
                if (await HeadAsync(BlobKey(digest), cancellationToken).ConfigureAwait(false) is null)
                {
                    await PutObjectAsync(BlobKey(digest), done.Tail, cancellationToken).ConfigureAwait(false);
                }

                return done.Tail.Length;
            }

            var staging = UploadKey(upload.Id);
            await CompleteMultipartAsync(staging, state.UploadId, state.Parts, cancellationToken).ConfigureAwait(false);
            try
            {
                if (hashed is null || hashed.AlgorithmName.Name != HashName(digest).Name)
                {
                    // Started on another replica (or before a restart): hash what S3 assembled.
                    hashed?.Dispose();
                    hashed = IncrementalHash.CreateHash(HashName(digest));
                    using var read = await _s3.GetObjectAsync(_bucket, staging, cancellationToken).ConfigureAwait(false);
                    var buffer = new byte[1 << 20];
                    int n;
                    while ((n = await read.ResponseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hashed.AppendData(buffer, 0, n);
                    }
                }

                Verify(digest, hashed, done.Offset, null);
                if (await HeadAsync(BlobKey(digest), cancellationToken).ConfigureAwait(false) is null)
                {
                    await CopyAsync(staging, BlobKey(digest), done.Offset, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                await Call(() => _s3.DeleteObjectAsync(_bucket, staging, CancellationToken.None)).ConfigureAwait(false);
            }

            return done.Offset;
        }
        finally
        {
            hashed?.Dispose();
        }
    }

    public async Task AbortAsync(StoredUpload upload, CancellationToken cancellationToken)
    {
        if (_hashes.TryRemove(upload.Id, out var h))
        {
            h.Hash.Dispose();
        }

        if (ParseState(upload).UploadId is { } id)
        {
            await AbortMultipartAsync(UploadKey(upload.Id), id).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _s3.Dispose();
        foreach (var h in _hashes.Values)
        {
            h.Hash.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Appends <paramref name="data"/> after the session's tail, writing every complete part, and
    /// saves the new state (the tail too, unless <paramref name="final"/>, when it becomes the last part).
    /// </summary>
    private async Task<(StoredUpload Saved, S3UploadState State)> WriteAsync(StoredUpload upload, Stream data, bool final, CancellationToken ct)
    {
        var state = ParseState(upload);
        var hash = upload.Offset == 0
            ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256)
            : _hashes.TryRemove(upload.Id, out var cached) && cached.Offset == upload.Offset ? cached.Hash : null;
        var buffer = new byte[PartSize];
        upload.Tail.CopyTo(buffer);
        var filled = upload.Tail.Length;
        var offset = upload.Offset;
        try
        {
            while (true)
            {
                var n = await ReadFullAsync(data, buffer.AsMemory(filled), ct).ConfigureAwait(false);
                hash?.AppendData(buffer, filled, n);
                filled += n;
                offset += n;
                if (filled < PartSize)
                {
                    break;
                }

                state = await WritePartAsync(upload.Id, state, buffer, ct).ConfigureAwait(false);
                filled = 0;
            }

            if (final && filled > 0 && state.UploadId is not null)
            {
                state = await WritePartAsync(upload.Id, state, buffer.AsMemory(0, filled), ct).ConfigureAwait(false);
                filled = 0;
            }

            var saved = await _sessions.UpdateUploadAsync(upload with
            {
                Offset = offset,
                State = JsonSerializer.Serialize(state, S3JsonContext.Default.S3UploadState),
                Tail = buffer.AsMemory(0, filled).ToArray(),
            }, ct).ConfigureAwait(false) ?? throw RegistryErrors.UploadInUse(upload.Id);
            if (hash is not null)
            {
                _hashes[upload.Id] = (hash, offset);
                hash = null;
            }

            return (saved, state);
        }
        finally
        {
            hash?.Dispose();
        }
    }

    private async Task<S3UploadState> WritePartAsync(string id, S3UploadState state, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        var key = UploadKey(id);
        var uploadId = state.UploadId
            ?? (await Call(() => _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct)).ConfigureAwait(false)).UploadId;
        var part = await UploadPartAsync(key, uploadId, state.Parts.Count + 1, bytes, ct).ConfigureAwait(false);
        return new S3UploadState { UploadId = uploadId, Parts = [.. state.Parts, part] };
    }

    private async Task<S3UploadPart> UploadPartAsync(string key, string uploadId, int number, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        using var body = new MemoryStream(bytes.ToArray(), writable: false);
        var response = await Call(() => _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = number,
            InputStream = body,
            PartSize = bytes.Length,
        }, ct)).ConfigureAwait(false);
        return new S3UploadPart(number, response.ETag, bytes.Length);
    }

    private Task CompleteMultipartAsync(string key, string uploadId, IEnumerable<S3UploadPart> parts, CancellationToken ct) =>
        Call(() => _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = [.. parts.Select(p => new PartETag(p.Number, p.ETag))],
        }, ct));

    private async Task AbortMultipartAsync(string key, string uploadId)
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(_bucket, key, uploadId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private async Task CopyAsync(string from, string to, long size, CancellationToken ct)
    {
        if (size <= 5L * 1024 * 1024 * 1024)
        {
            await Call(() => _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = from, DestinationBucket = _bucket, DestinationKey = to }, ct)).ConfigureAwait(false);
            return;
        }

        // Objects over 5 GiB are copied part by part.
        var uploadId = (await Call(() => _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = to }, ct)).ConfigureAwait(false)).UploadId;
        var parts = new List<S3UploadPart>();
        const long step = 1024L * 1024 * 1024;
        for (long start = 0; start < size; start += step)
        {
            var end = Math.Min(size, start + step) - 1;
            var r = await Call(() => _s3.CopyPartAsync(new CopyPartRequest
            {
                SourceBucket = _bucket, SourceKey = from, DestinationBucket = _bucket, DestinationKey = to,
                UploadId = uploadId, PartNumber = parts.Count + 1, FirstByte = start, LastByte = end,
            }, ct)).ConfigureAwait(false);
            parts.Add(new S3UploadPart(parts.Count + 1, r.ETag, end - start + 1));
        }

        await CompleteMultipartAsync(to, uploadId, parts, ct).ConfigureAwait(false);
    }

    private async Task PutObjectAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        using var body = new MemoryStream(bytes.ToArray(), writable: false);
        await Call(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = body, AutoCloseStream = false }, ct)).ConfigureAwait(false);
    }

    private async Task<long?> HeadAsync(string key, CancellationToken ct)
    {
        try
        {
            var m = await _s3.GetObjectMetadataAsync(_bucket, key, ct).ConfigureAwait(false);
            return m.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw Unavailable(e);
        }
    }

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw Unavailable(e);
        }
    }

    private StrataException Unavailable(Exception e)
    {
        var why = e switch
        {
            AmazonS3Exception { ErrorCode: "NoSuchBucket" } => $"bucket {_bucket} does not exist",
            AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" } s => $"access refused ({s.ErrorCode}): check the S3 credentials",
            AmazonS3Exception s => $"{s.ErrorCode}: {s.Message}",
            _ => $"unreachable: {e.Message}",
        };
        return StrataException.Unavailable(RegistryErrors.BlobStoreUnavailable, $"blob store {Location}: {why}", e);
    }

    private static void Verify(Digest digest, IncrementalHash hash, long size, long? expectedSize)
    {
        if (expectedSize is { } want && want != size)
        {
            throw StrataException.DataLoss(RegistryErrors.SizeMismatch, $"size mismatch: expected {want} bytes, got {size}");
        }

        var actual = Digest.Parse($"{digest.AlgorithmName}:{Convert.ToHexStringLower(hash.GetHashAndReset())}");
        if (actual != digest)
        {
            throw StrataException.DataLoss(RegistryErrors.DigestMismatch, $"digest mismatch: expected {digest}, got {actual}");
        }
    }

    private static HashAlgorithmName HashName(Digest digest) =>
        digest.AlgorithmName == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    private static S3UploadState ParseState(StoredUpload upload) =>
        upload.State is null ? new S3UploadState() : JsonSerializer.Deserialize(upload.State, S3JsonContext.Default.S3UploadState) ?? new S3UploadState();

    private static async Task<int> ReadFullAsync(Stream s, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await s.ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private string BlobKey(Digest digest) => $"{_prefix}blobs/{digest.AlgorithmName}/{digest.Encoded[..2]}/{digest.Encoded}";

    private string UploadKey(string id) => $"{_prefix}uploads/{id}";
}
