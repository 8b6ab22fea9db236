using System.Diagnostics;
using System.Formats.Tar;
using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Snapshots;

namespace Strata.Storage.Tests.Layers;

/// <summary>Differ behaviour and round trips, including through a real overlayfs mount (needs root).</summary>
public sealed class LayerDifferTests : IDisposable
{
    private static readonly byte[] Capability = [0x01, 0x00, 0x00, 0x02, 0x80, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly string _base = Directory.CreateTempSubdirectory("strata-diff-").FullName;
    private readonly LayerDiffer _differ = new();
    private readonly LayerApplier _applier = new();

    public void Dispose()
    {
        foreach (var m in Directory.GetDirectories(_base, "merged*"))
        {
            Mounter.TryUnmount(m, detach: true);
        }

        Directory.Delete(_base, recursive: true);
    }

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(_base, name)).FullName;

    /// <summary>A small tree with every kind of entry and metadata the codec carries.</summary>
    private string MakeTree(string name)
    {
        var root = Dir(name);
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "etc/conf.d"));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        File.WriteAllText(Path.Combine(root, "bin/busybox"), new string('b', 70_000));
        File.WriteAllText(Path.Combine(root, "bin/ping"), "ping");
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc/conf.d/empty"), "");
        File.WriteAllText(Path.Combine(root, "etc/\u00fcnicode-" + new string('n', 120)), "long non-ascii name");
        File.CreateSymbolicLink(Path.Combine(root, "bin/sh"), "busybox");
        UnixFs.Link(Path.Combine(root, "bin/busybox"), Path.Combine(root, "bin/ls"));
        UnixFs.Chmod(Path.Combine(root, "bin/busybox"), 0x1ED);
        UnixFs.Chmod(Path.Combine(root, "bin/ping"), 0x9ED); // setuid
        UnixFs.Chmod(Path.Combine(root, "tmp"), 0x3FF); // sticky
        UnixFs.Lchown(Path.Combine(root, "etc/conf.d"), 1000, 1001);
        UnixFs.SetXattr(Path.Combine(root, "bin/ping"), "security.capability", Capability);
        UnixFs.Mknod(Path.Combine(root, "fifo"), UnixStat.TypeFifo | 0x1A4, 0, 0);
        SetTimes(root, 1_600_000_000);
        return root;
    }

    private static void SetTimes(string root, long seconds)
    {
        foreach (var p in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length))
        {
            UnixFs.SetMtime(p, seconds, 123_456_789);
        }
    }

    private async Task<(LayerDiffResult Result, byte[] Blob)> DiffAsync(string dir, LayerCompression compression = LayerCompression.None, bool overlay = false)
    {
        var output = new MemoryStream();
        var result = await _differ.DiffAsync(dir, output, compression, overlay);
        return (result, output.ToArray());
    }

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task Round_trips_every_kind_of_entry(LayerCompression compression)
    {
        var source = MakeTree("src");
        var (result, blob) = await DiffAsync(source, compression);

        Assert.Equal(Digest.Compute(blob), result.Digest);
        Assert.Equal(blob.Length, result.Size);
        Assert.Equal(LayerStreams.MediaType(compression), result.MediaType);

        var copy = Dir("copy");
        var applied = await _applier.ApplyAsync(new MemoryStream(blob), copy, new LayerApplyOptions { ExpectedDigest = result.Digest, ExpectedDiffId = result.DiffId });
        Assert.Equal(result.UncompressedSize, applied.UncompressedSize);
        TreeState.AssertSame(source, copy);
        Assert.Equal(Capability, UnixFs.GetXattrs(Path.Combine(copy, "bin/ping"))["security.capability"]);
    }

    [Fact]
    public async Task Same_tree_gives_the_same_digest()
    {
        var source = MakeTree("src");
        var (first, _) = await DiffAsync(source, LayerCompression.Gzip);
        var (second, _) = await DiffAsync(source, LayerCompression.Gzip);
        Assert.Equal(first.Digest, second.Digest);

        // A copy made by another tool, with the same mtimes (sub-second parts differ: truncated to seconds).
        var copy = Path.Combine(_base, "cp");
        Run("cp", "-a", source, copy);
        SetTimes(copy, 1_600_000_000);
        foreach (var p in Directory.EnumerateFileSystemEntries(copy, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length))
        {
            UnixFs.SetMtime(p, 1_600_000_000, 5);
        }

        var (third, _) = await DiffAsync(copy, LayerCompression.Gzip);
        Assert.Equal(first.Digest, third.Digest);
        Assert.Equal(first.DiffId, third.DiffId);

        // A change of one mtime second changes the digest.
        UnixFs.SetMtime(Path.Combine(copy, "etc/passwd"), 1_600_000_001, 0);
        var (fourth, _) = await DiffAsync(copy, LayerCompression.Gzip);
        Assert.NotEqual(first.DiffId, fourth.DiffId);
    }

    [Fact]
    public async Task Output_is_sorted_pax_with_numeric_ids_that_other_readers_understand()
    {
        var source = MakeTree("src");
        var (_, blob) = await DiffAsync(source);

        // System.Formats.Tar reads it entry by entry.
        var names = new List<string>();
        await using (var reader = new TarReader(new MemoryStream(blob)))
        {
            while (await reader.GetNextEntryAsync() is { } e)
            {
                names.Add(e.Name);
                Assert.True(e is PosixTarEntry { UserName: "", GroupName: "" }, e.Name);
                if (e.Name == "bin/ls")
                {
                    Assert.Equal(TarEntryType.HardLink, e.EntryType);
                    Assert.Equal("bin/busybox", e.LinkName);
                }
            }
        }

        Assert.Equal(["bin/", "bin/busybox", "bin/ls", "bin/ping", "bin/sh", "etc/", "etc/conf.d/", "etc/conf.d/empty", "etc/passwd", "etc/\u00fcnicode-" + new string('n', 120), "fifo", "tmp/"], names);

        // GNU tar extracts it with the binary capability intact.
        var tarFile = Path.Combine(_base, "layer.tar");
        await File.WriteAllBytesAsync(tarFile, blob);
        var gnu = Dir("gnu");
        Run("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", tarFile, "-C", gnu);
        Assert.Equal(Capability, UnixFs.GetXattrs(Path.Combine(gnu, "bin/ping"))["security.capability"]);
        TreeState.AssertSame(source, gnu);
    }

    [Fact]
    public async Task Whiteouts_round_trip_through_a_real_overlay_mount()
    {
        // Lower: a layer applied in overlay mode, as the overlay snapshotter stores it.
        var lowerTar = await new TarBuilder()
            .File("keep", "k").File("delete-me", "d").Dir("replace-dir/").File("replace-dir/old", "o").Dir("replace-dir/sub/").File("replace-dir/sub/x", "x")
            .Dir("edit/").File("edit/file", "v1").File("edit/other", "stay")
            .BuildAsync(LayerCompression.Gzip);
        var lower = Dir("lower");
        await _applier.ApplyAsync(new MemoryStream(lowerTar), lower, new LayerApplyOptions());
        var upper = Dir("upper");
        var work = Dir("work");
        var merged = Dir("merged");
        Mounter.Mount(new MountSpec("overlay", "overlay", [$"lowerdir={lower}", $"upperdir={upper}", $"workdir={work}"]), merged);
        try
        {
            File.Delete(Path.Combine(merged, "delete-me"));
            Directory.Delete(Path.Combine(merged, "replace-dir"), recursive: true);
            Directory.CreateDirectory(Path.Combine(merged, "replace-dir"));
            File.WriteAllText(Path.Combine(merged, "replace-dir/new"), "n");
            File.WriteAllText(Path.Combine(merged, "edit/file"), "v2");
            File.Delete(Path.Combine(merged, "edit/other"));
            File.WriteAllText(Path.Combine(merged, "added"), "a");
        }
        finally
        {
            // The expected tree is what the container saw: capture it before unmounting.
            var expectedCopy = Path.Combine(_base, "expected");
            Run("cp", "-a", merged, expectedCopy);
            Mounter.Unmount(merged);
        }

        // The upper dir holds overlay whiteouts; the diff turns them into OCI ones.
        Assert.True(UnixFs.Lstat(Path.Combine(upper, "delete-me")).IsOverlayWhiteout);
        var (diff, blob) = await DiffAsync(upper, LayerCompression.Zstd, overlay: true);
        var entries = await LayerReader.EnumerateAsync(new MemoryStream(blob)).ToListAsync();
        Assert.Contains(entries, e => e is { Path: "delete-me", Whiteout: LayerWhiteout.File });
        Assert.Contains(entries, e => e is { Path: "edit/other", Whiteout: LayerWhiteout.File });
        Assert.Contains(entries, e => e is { Path: "replace-dir", Whiteout: LayerWhiteout.Opaque });

        // Applying lower + diff flattened (delete mode) gives exactly what the merged mount showed.
        var flat = Dir("flat");
        var delete = new LayerApplyOptions { Whiteouts = WhiteoutMode.Delete };
        await _applier.ApplyAsync(new MemoryStream(lowerTar), flat, delete);
        await _applier.ApplyAsync(new MemoryStream(blob), flat, delete with { ExpectedDigest = diff.Digest, ExpectedDiffId = diff.DiffId });
        TreeState.AssertSame(Path.Combine(_base, "expected"), flat);
        Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(flat, "replace-dir")).Select(Path.GetFileName));

        // And in overlay mode, a second lower layer mounted over the first shows the same tree again.
        var layer2 = Dir("layer2");
        await _applier.ApplyAsync(new MemoryStream(blob), layer2, new LayerApplyOptions());
        var merged2 = Dir("merged2");
        Mounter.Mount(new MountSpec("overlay", "overlay", ["ro", $"lowerdir={layer2}:{lower}"]), merged2);
        try
        {
            TreeState.AssertSame(Path.Combine(_base, "expected"), merged2);
        }
        finally
        {
            Mounter.Unmount(merged2);
        }
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {err}");
    }
}
