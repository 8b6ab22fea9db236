using Strata.Oci;
using Strata.Storage.Content;

namespace Strata.Storage.Tests.Content;

public sealed class LocalContentStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("strata-content-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Commit_verifies_and_places_blob()
    {
        var store = new LocalContentStore(_root);
        var data = "hello world"u8.ToArray();
        var expected = Digest.Compute(data);
        await using (var w = await store.OpenWriterAsync("upload-1"))
        {
            await w.WriteAsync(data);
            Assert.Equal(expected, await w.CommitAsync(data.Length, expected));
        }

        var info = await store.InfoAsync(expected);
        Assert.Equal(data.Length, info!.Size);
        await using var r = await store.OpenReadAsync(expected);
        Assert.Equal(expected, await Digest.ComputeAsync(r));
        Assert.Empty(await store.ListIngestsAsync().ToListAsync());
    }

    [Fact]
    public async Task Wrong_digest_fails_and_exposes_nothing()
    {
        var store = new LocalContentStore(_root);
        var wrong = Digest.Compute("other"u8);
        await using var w = await store.OpenWriterAsync("bad");
        await w.WriteAsync("data"u8.ToArray());
        var e = await Assert.ThrowsAsync<StrataException>(() => w.CommitAsync(4, wrong));
        Assert.Equal(ErrorKind.DataLoss, e.Kind);
        Assert.Null(await store.InfoAsync(wrong));
        Assert.Null(await store.InfoAsync(Digest.Compute("data"u8)));
    }

    [Fact]
    public async Task Ingest_resumes_after_writer_goes_away()
    {
        var store = new LocalContentStore(_root);
        await using (var w = await store.OpenWriterAsync("resume"))
        {
            await w.WriteAsync("hello "u8.ToArray());
        }

        var status = await store.IngestStatusAsync("resume");
        Assert.Equal(6, status!.Offset);
        await using var w2 = await store.OpenWriterAsync("resume");
        Assert.Equal(6, w2.Offset);
        await w2.WriteAsync("world"u8.ToArray());
        Assert.Equal(Digest.Compute("hello world"u8), await w2.CommitAsync(11, Digest.Compute("hello world"u8)));
    }

    [Fact]
    public async Task Second_writer_of_same_ingest_is_refused_and_same_digest_twice_is_no_op()
    {
        var store = new LocalContentStore(_root);
        await using var a = await store.OpenWriterAsync("same");
        var e = await Assert.ThrowsAsync<StrataException>(() => store.OpenWriterAsync("same"));
        Assert.Equal("INGEST_LOCKED", e.Code);

        var d = Digest.Compute("x"u8);
        await a.WriteAsync("x"u8.ToArray());
        await a.CommitAsync(1, d);
        await using var b = await store.OpenWriterAsync("other");
        await b.WriteAsync("x"u8.ToArray());
        Assert.Equal(d, await b.CommitAsync(1, d));
    }

    [Fact]
    public async Task Sha512_digests_are_supported()
    {
        var store = new LocalContentStore(_root);
        var d = Digest.Compute("abc"u8, DigestAlgorithm.Sha512);
        await using var w = await store.OpenWriterAsync("s512");
        await w.WriteAsync("abc"u8.ToArray());
        Assert.Equal(d, await w.CommitAsync(3, d));
        Assert.NotNull(await store.InfoAsync(d));
    }

    [Fact]
    public async Task Missing_blob_is_not_found()
    {
        var store = new LocalContentStore(_root);
        var e = await Assert.ThrowsAsync<StrataException>(() => store.OpenReadAsync(Digest.Compute("nope"u8)));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }
}
