using System.Text;
using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Storage.Tests.Images;

public sealed class ImageStoreTests : IDisposable
{
    private readonly TestStore _t = new();

    public void Dispose() => _t.Dispose();

    private static Dictionary<string, byte[]?> Files(params (string Path, string? Content)[] files) =>
        files.ToDictionary(f => f.Path, f => f.Content is null ? null : Encoding.UTF8.GetBytes(f.Content));

    [Fact]
    public async Task Resolves_every_form_docker_accepts()
    {
        var store = await _t.OpenAsync();
        var image = await _t.ImageAsync(store, "busybox", layers: Files(("bin/sh", "sh")));
        await store.RegisterAsync(image.ManifestDigest, null, Reference.Parse("registry.local:5000/team/box@" + image.ManifestDigest));

        foreach (var form in new[]
        {
            "busybox", // name, tag latest implied
            "busybox:latest",
            "docker.io/library/busybox:latest",
            image.Id.ToString(), // full ID
            image.Id.Encoded, // 64 hex
            image.Id.Encoded[..12], // short ID
            "sha256:" + image.Id.Encoded[..8], // short ID with algorithm
            "registry.local:5000/team/box@" + image.ManifestDigest, // repo digest
            "busybox@" + image.ManifestDigest, // name@manifest digest
        })
        {
            var r = await store.ResolveAsync(form);
            Assert.Equal(image.Id, r.Id);
        }
    }

    [Fact]
    public async Task Unknown_image_is_not_found_with_dockers_wording()
    {
        var store = await _t.OpenAsync();
        var e = await Assert.ThrowsAsync<StrataException>(() => store.ResolveAsync("nosuch:1"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("IMAGE_NOT_FOUND", e.Code);
        Assert.Equal("No such image: nosuch:1", e.Message);
        Assert.Null(await store.TryResolveAsync("0123456789ab"));
    }

    [Fact]
    public async Task Ambiguous_short_id_is_an_error()
    {
        var store = await _t.OpenAsync();
        // 17 images: two of them must share a first hex digit.
        var ids = new List<Digest>();
        for (var i = 0; i < 17; i++)
        {
            ids.Add((await _t.ImageAsync(store, $"img{i}", env: $"N={i}")).Id);
        }

        var prefix = ids.GroupBy(d => d.Encoded[..1]).First(g => g.Count() > 1).Key;
        var e = await Assert.ThrowsAsync<StrataException>(() => store.ResolveAsync(prefix));
        Assert.Equal("IMAGE_AMBIGUOUS", e.Code);
        var unique = ids[0].Encoded[..12];
        Assert.Equal(ids[0], (await store.ResolveAsync(unique)).Id);
    }

    [Fact]
    public async Task Moving_a_tag_leaves_the_old_image_dangling()
    {
        var store = await _t.OpenAsync();
        var a = await _t.ImageAsync(store, "app:1", env: "V=1");
        var b = await _t.ImageAsync(store, "app:1", env: "V=2");
        Assert.NotEqual(a.Id, b.Id);
        var all = await store.ListAsync().ToListAsync();
        Assert.Empty(all.Single(i => i.Id == a.Id).Names);
        Assert.Equal([Reference.Parse("app:1")], all.Single(i => i.Id == b.Id).Names);
    }

    [Fact]
    public async Task Tag_and_untag()
    {
        var store = await _t.OpenAsync();
        var a = await _t.ImageAsync(store, "app:1", env: "V=1");
        await store.TagAsync("app:1", Reference.Parse("other/name:2"));
        Assert.Equal(a.Id, (await store.ResolveAsync("other/name:2")).Id);
        Assert.Null(await store.UntagAsync(Reference.Parse("app:1")));
        var last = await store.UntagAsync(Reference.Parse("other/name:2"));
        Assert.Equal(a.Id, last!.Id);
        Assert.Empty(last.Names);
        await Assert.ThrowsAsync<StrataException>(() => store.TagAsync("nosuch", Reference.Parse("x:1")));
    }

    [Fact]
    public async Task Rmi_untags_first_and_deletes_with_the_last_name_keeping_shared_layers()
    {
        var store = await _t.OpenAsync();
        var baseImage = await _t.ImageAsync(store, "base:1", layers: Files(("etc/os", "base")));
        var child = await _t.ImageAsync(store, "child:1", baseImage, layers: Files(("app/bin", "app")));
        await store.TagAsync("child:1", Reference.Parse("child:2"));
        var childLayers = await store.LayersAsync(child);
        Assert.Equal(2, childLayers.Count);
        Assert.Equal((await store.LayersAsync(baseImage))[0].Digest, childLayers[0].Digest);

        var first = await store.RemoveAsync("child:1");
        Assert.Equal(["child:1"], first.Untagged);
        Assert.Empty(first.Deleted);
        Assert.NotNull(await _t.Content.InfoAsync(child.ManifestDigest));

        var second = await store.RemoveAsync("child:2");
        Assert.Equal([child.Id], second.Deleted);
        Assert.Null(await _t.Content.InfoAsync(child.ManifestDigest));
        Assert.Null(await _t.Content.InfoAsync(child.Id));
        Assert.Null(await _t.Content.InfoAsync(childLayers[1].Digest));
        // The base layer is still used by base:1.
        Assert.NotNull(await _t.Content.InfoAsync(childLayers[0].Digest));
        Assert.Equal(baseImage.Id, (await store.ResolveAsync("base:1")).Id);

        await store.RemoveAsync("base:1");
        Assert.Empty(await _t.Content.ListAsync().ToListAsync());
        Assert.Empty(await store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Rmi_by_id_of_an_image_in_two_repositories_needs_force()
    {
        var store = await _t.OpenAsync();
        var a = await _t.ImageAsync(store, "one:1", env: "X=1");
        await store.TagAsync("one:1", Reference.Parse("two:1"));
        var e = await Assert.ThrowsAsync<StrataException>(() => store.RemoveAsync(a.Id.Encoded[..12]));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains("(must be forced) - image is referenced in multiple repositories", e.Message, StringComparison.Ordinal);

        var forced = await store.RemoveAsync(a.Id.Encoded[..12], force: true);
        Assert.Equal(["one:1", "two:1"], forced.Untagged.Order());
        Assert.Equal([a.Id], forced.Deleted);
    }

    [Fact]
    public async Task Rmi_asks_the_usage_hook_and_uses_dockers_conflicts()
    {
        var store = await _t.OpenAsync();
        var a = await _t.ImageAsync(store, "used:1", env: "X=1");
        var users = new Dictionary<Digest, List<ImageUser>> { [a.Id] = [new ImageUser("0123456789abcdef", "container", Running: false)] };
        _t.UsageChecks.Add(new DictionaryUsage(users));

        var byName = await Assert.ThrowsAsync<StrataException>(() => store.RemoveAsync("used:1"));
        Assert.Contains("unable to remove repository reference \"used:1\" (must force) - container 0123456789ab is using its referenced image", byName.Message, StringComparison.Ordinal);
        var byId = await Assert.ThrowsAsync<StrataException>(() => store.RemoveAsync(a.Id.ToString()));
        Assert.Contains("(must be forced) - image is being used by stopped container 0123456789ab", byId.Message, StringComparison.Ordinal);

        users[a.Id] = [new ImageUser("fedcba9876543210", "container", Running: true)];
        var running = await Assert.ThrowsAsync<StrataException>(() => store.RemoveAsync(a.Id.ToString(), force: true));
        Assert.Contains("(cannot be forced) - image is being used by running container fedcba987654", running.Message, StringComparison.Ordinal);
        Assert.NotNull(await store.TryResolveAsync("used:1"));

        users[a.Id] = [];
        Assert.Equal([a.Id], (await store.RemoveAsync("used:1")).Deleted);
    }

    [Fact]
    public async Task Registering_a_manifest_with_missing_blobs_fails_and_records_nothing()
    {
        var store = await _t.OpenAsync();
        var a = await _t.ImageAsync(store, "full:1", layers: Files(("f", "x")));
        var layer = (await store.LayersAsync(a))[0];
        var (manifest, config) = await store.ReadAsync(a);
        await store.RemoveAsync("full:1");
        // Re-put only the manifest and config: the layer blob is gone.
        var writer = new ImageWriter(_t.Content, store);
        await writer.PutAsync(manifest.Raw);
        await writer.PutAsync(config.Raw);
        var e = await Assert.ThrowsAsync<StrataException>(() => store.RegisterAsync(a.ManifestDigest, Reference.Parse("full:1")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Empty(await store.ListAsync().ToListAsync());
        Assert.Null(await _t.Content.InfoAsync(layer.Digest));
    }

    [Fact]
    public async Task Two_stores_on_one_root_write_concurrently_and_both_images_land()
    {
        var s1 = await _t.OpenAsync();
        var s2 = await _t.OpenAsync();
        var tasks = Enumerable.Range(0, 8).Select(i => _t.ImageAsync(i % 2 == 0 ? s1 : s2, $"c{i}:1", layers: Files(($"file{i}", new string('x', 1000 * i))))).ToList();
        await Task.WhenAll(tasks);
        var all = await s1.ListAsync().ToListAsync();
        Assert.Equal(8, all.Count);
        foreach (var t in tasks)
        {
            Assert.Equal((await t).Id, (await s2.ResolveAsync((await t).Names[0].ToString())).Id);
        }
    }

    [Fact]
    public async Task Image_size_is_the_uncompressed_layer_size_when_known()
    {
        var store = await _t.OpenAsync();
        var a = await _t.ImageAsync(store, "sz:1", layers: Files(("big", new string('a', 100_000))));
        var layer = (await store.LayersAsync(a))[0];
        Assert.True(layer.Size < 10_000, "gzip of a run of one byte is small");
        Assert.Equal(layer.UncompressedSize, a.Size);
        Assert.True(a.Size > 100_000);
    }

    private sealed class DictionaryUsage(Dictionary<Digest, List<ImageUser>> users) : IImageUsageCheck
    {
        public Task<IReadOnlyList<ImageUser>> UsersAsync(Digest imageId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ImageUser>>(users.TryGetValue(imageId, out var u) ? u : []);
    }
}
