using Strata.Integration.Tests.Support;
using Strata.Storage.Tests.Layers;

namespace Strata.Integration.Tests.Build;

/// <summary>
/// <c>ADD local.tar</c> through a real build: a GNU tar archive with a PAX sparse file unpacks with its holes, and a
/// hostile archive fails the step with the layer applier's one-line refusal.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AddArchiveTests(BuildStore store) : IClassFixture<BuildStore>
{
    [Fact]
    public async Task Add_unpacks_gnu_tar_sparse_files_and_refuses_hostile_archives()
    {
        var ctx = store.Context("FROM busybox\nADD good.tar.gz /opt/\nRUN test \"$(cat /opt/dir/f)\" = hello && test -L /opt/link\n");
        var src = Path.Combine(store.Work, "tar-src-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(src, "dir"));
        await File.WriteAllTextAsync(Path.Combine(src, "dir/f"), "hello");
        File.CreateSymbolicLink(Path.Combine(src, "link"), "../../../../etc/passwd");
        await using (var sparse = File.Create(Path.Combine(src, "sparse.bin")))
        {
            sparse.SetLength(8 << 20);
            sparse.Position = 4 << 20;
            sparse.Write("data"u8);
        }

        (await Proc.RunAsync("tar", ["--format=posix", "--sparse", "--sparse-version=1.0", "-czf", Path.Combine(ctx, "good.tar.gz"), "-C", src, "."])).EnsureSuccess("tar");
        await store.BuildOkAsync(ctx, "-t", "add:good");
        var tree = await store.FileTreeAsync("add:good");
        Assert.Equal(8 << 20, tree["opt/sparse.bin"].Size);
        Assert.DoesNotContain(tree.Keys, k => k.Contains("GNUSparseFile", StringComparison.Ordinal));
        Assert.Equal("../../../../etc/passwd", tree["opt/link"].LinkTarget);

        foreach (var (what, tar, _) in HostileTars.Refused.Select(r => ((string)r[0], (byte[])r[1], (string)r[2])))
        {
            var bad = store.Context("FROM busybox\nADD evil.tar /\n");
            await File.WriteAllBytesAsync(Path.Combine(bad, "evil.tar"), tar);
            var r = await store.BuildAsync(bad, "-t", "add:evil");
            Assert.True(r.ExitCode != 0, what);
            Assert.DoesNotContain("internal error", r.Stderr, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("layer", r.Stderr, StringComparison.OrdinalIgnoreCase);
            Assert.Single(r.Stderr.Trim().Split('\n'));
        }
    }
}
