using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Storage.Tests.Snapshots;

/// <summary>
/// The behaviour every snapshotter must have (after containerd's core/snapshots/testsuite), run against each
/// driver by a subclass. Mount tests mount for real (root).
/// </summary>
public abstract class SnapshotterConformance : IAsyncLifetime
{
    private readonly List<string> _mounted = [];

    protected string Base { get; } = Directory.CreateTempSubdirectory("strata-snap-").FullName;

    protected SnapshotterBase Snapshotter { get; private set; } = null!;

    protected abstract SnapshotterBase Create(string root, MetadataDb db);

    public async Task InitializeAsync()
    {
        var db = await MetadataDb.OpenAsync(Path.Combine(Base, "strata.db"), SnapshotMigrations.All);
        Snapshotter = Create(Path.Combine(Base, "snapshots"), db);
    }

    public Task DisposeAsync()
    {
        foreach (var m in Enumerable.Reverse(_mounted))
        {
            Mounter.TryUnmount(m, detach: true);
        }

        Directory.Delete(Base, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Prepares <paramref name="key"/> on <paramref name="parent"/>, writes files into it, commits it as <paramref name="name"/>.</summary>
    protected async Task CommitLayerAsync(string name, string? parent, params (string Path, string Content)[] files)
    {
        var key = "staging-" + Environment.ProcessId + "-" + name;
        await Snapshotter.PrepareAsync(key, parent);
        var dir = Snapshotter.DirectoryOf(key)!;
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            await File.WriteAllTextAsync(Path.Combine(dir, path), content);
        }

        await Snapshotter.CommitAsync(name, key);
    }

    protected string MountAt(IReadOnlyList<MountSpec> mounts, string name)
    {
        var target = Directory.CreateDirectory(Path.Combine(Base, "mnt-" + name)).FullName;
        Mounter.MountAll(mounts, target);
        _mounted.Add(target);
        return target;
    }

    protected void Unmount(string target)
    {
        Mounter.Unmount(target);
        _mounted.Remove(target);
    }

    [Fact]
    public async Task Prepare_commit_stat_and_list()
    {
        await CommitLayerAsync("base", null, ("a", "1"));
        await Snapshotter.PrepareAsync("work", "base", new Dictionary<string, string> { ["purpose"] = "test" });

        var committed = await Snapshotter.StatAsync("base");
        var active = await Snapshotter.StatAsync("work");
        Assert.Equal(SnapshotKind.Committed, committed!.Kind);
        Assert.Null(committed.Parent);
        Assert.Equal((SnapshotKind.Active, "base"), (active!.Kind, active.Parent));
        Assert.Equal("test", active.Labels["purpose"]);
        Assert.Null(await Snapshotter.StatAsync("staging-" + Environment.ProcessId + "-base")); // the key became the name
        Assert.Equal(["base", "work"], await Snapshotter.ListAsync().Select(s => s.Name).ToListAsync());
    }

    [Fact]
    public async Task Parents_must_exist_and_be_committed()
    {
        var missing = await Assert.ThrowsAsync<StrataException>(() => Snapshotter.PrepareAsync("x", "nope"));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);

        await Snapshotter.PrepareAsync("active", null);
        var notCommitted = await Assert.ThrowsAsync<StrataException>(() => Snapshotter.PrepareAsync("y", "active"));
        Assert.Equal(ErrorKind.FailedPrecondition, notCommitted.Kind);

        var dup = await Assert.ThrowsAsync<StrataException>(() => Snapshotter.PrepareAsync("active", null));
        Assert.Equal(ErrorKind.AlreadyExists, dup.Kind);
        Assert.Equal(["active"], await Snapshotter.ListAsync().Select(s => s.Name).ToListAsync());
    }

    [Fact]
    public async Task Committing_a_name_that_exists_is_already_exists_and_the_loser_drops_its_copy()
    {
        await CommitLayerAsync("sha256:layer", null, ("f", "winner"));
        await Snapshotter.PrepareAsync("unpack-1-loser", null);
        await File.WriteAllTextAsync(Path.Combine(Snapshotter.DirectoryOf("unpack-1-loser")!, "f"), "loser");

        var e = await Assert.ThrowsAsync<StrataException>(() => Snapshotter.CommitAsync("sha256:layer", "unpack-1-loser"));
        Assert.Equal(ErrorKind.AlreadyExists, e.Kind);
        await Snapshotter.RemoveAsync("unpack-1-loser");

        Assert.Equal("winner", await File.ReadAllTextAsync(Path.Combine(Snapshotter.DirectoryOf("sha256:layer")!, "f")));
        Assert.Equal(["sha256:layer"], await Snapshotter.ListAsync().Select(s => s.Name).ToListAsync());
    }

    [Fact]
    public async Task Snapshots_with_children_refuse_removal()
    {
        await CommitLayerAsync("l1", null, ("a", "1"));
        await CommitLayerAsync("l2", "l1", ("b", "2"));
        var dir = Snapshotter.DirectoryOf("l1")!;

        var e = await Assert.ThrowsAsync<StrataException>(() => Snapshotter.RemoveAsync("l1"));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.True(Directory.Exists(dir));

        await Snapshotter.RemoveAsync("l2");
        await Snapshotter.RemoveAsync("l1");
        Assert.False(Directory.Exists(dir));
        Assert.Empty(await Snapshotter.ListAsync().ToListAsync());
        var gone = await Assert.ThrowsAsync<StrataException>(() => Snapshotter.RemoveAsync("l1"));
        Assert.Equal(ErrorKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task Usage_counts_the_snapshots_own_bytes_and_inodes()
    {
        await CommitLayerAsync("l1", null, ("dir/a", new string('a', 1000)), ("b", new string('b', 24)));

        var (bytes, inodes) = await Snapshotter.UsageAsync("l1");

        Assert.Equal(1024, bytes);
        Assert.Equal(3, inodes); // dir, dir/a, b
    }

    [Fact]
    public async Task Committed_snapshots_cannot_be_mounted_directly_but_views_can()
    {
        await CommitLayerAsync("l1", null, ("a", "1"));
        await CommitLayerAsync("l2", "l1", ("b", "2"));
        var e = await Assert.ThrowsAsync<StrataException>(() => Snapshotter.MountsAsync("l2"));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);

        var view = MountAt(await Snapshotter.ViewAsync("v", "l2"), "view");
        Assert.Equal("1", await File.ReadAllTextAsync(Path.Combine(view, "a")));
        Assert.Equal("2", await File.ReadAllTextAsync(Path.Combine(view, "b")));
        Assert.Throws<IOException>(() => File.WriteAllText(Path.Combine(view, "c"), "read-only"));

        var empty = MountAt(await Snapshotter.ViewAsync("empty", null), "empty");
        Assert.Empty(Directory.GetFileSystemEntries(empty));
    }

    [Fact]
    public async Task Active_mount_is_copy_on_write_over_its_parents()
    {
        await CommitLayerAsync("l1", null, ("a", "lower a"), ("c", "lower c"), ("d/x", "x"));
        await CommitLayerAsync("l2", "l1", ("b", "lower b"));
        var mounts = await Snapshotter.PrepareAsync("container", "l2");
        Assert.Equal(mounts, await Snapshotter.MountsAsync("container"));

        var rootfs = MountAt(mounts, "container");
        await File.WriteAllTextAsync(Path.Combine(rootfs, "a"), "changed");
        await File.WriteAllTextAsync(Path.Combine(rootfs, "new"), "new");
        File.Delete(Path.Combine(rootfs, "c"));
        Directory.Delete(Path.Combine(rootfs, "d"), recursive: true);
        Assert.Equal("lower b", await File.ReadAllTextAsync(Path.Combine(rootfs, "b")));
        Unmount(rootfs);

        // Parents are untouched; a view of them still shows the original files.
        var view = MountAt(await Snapshotter.ViewAsync("check", "l2"), "check");
        Assert.Equal("lower a", await File.ReadAllTextAsync(Path.Combine(view, "a")));
        Assert.True(File.Exists(Path.Combine(view, "c")));
        Assert.True(File.Exists(Path.Combine(view, "d/x")));

        // Mounting the active snapshot again shows its changes.
        var again = MountAt(await Snapshotter.MountsAsync("container"), "again");
        Assert.Equal("changed", await File.ReadAllTextAsync(Path.Combine(again, "a")));
        Assert.False(File.Exists(Path.Combine(again, "c")));
        Assert.False(Directory.Exists(Path.Combine(again, "d")));
        Assert.Equal("new", await File.ReadAllTextAsync(Path.Combine(again, "new")));
    }

    [Fact]
    public async Task Layers_applied_with_the_drivers_whiteout_mode_stack_correctly()
    {
        var applier = new LayerApplier();
        var l1 = await new Layers.TarBuilder().Dir("etc/").File("etc/a", "a").File("etc/b", "b").Dir("opq/").File("opq/old", "o").BuildAsync();
        var l2 = await new Layers.TarBuilder().Whiteout("etc/.wh.a").Dir("opq/").File("opq/.wh..wh..opq").File("opq/new", "n").BuildAsync();
        string? parent = null;
        foreach (var (name, blob) in new[] { ("l1", l1), ("l2", l2) })
        {
            var key = $"unpack-{Environment.ProcessId}-{name}";
            await Snapshotter.PrepareAsync(key, parent);
            await applier.ApplyAsync(new MemoryStream(blob), Snapshotter.DirectoryOf(key)!, new LayerApplyOptions { Whiteouts = Snapshotter.LayerWhiteouts });
            await Snapshotter.CommitAsync(name, key);
            parent = name;
        }

        var view = MountAt(await Snapshotter.ViewAsync("v", "l2"), "v");
        Assert.Equal(["etc/b", "opq/new"], Directory.EnumerateFiles(view, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(view, f)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cleanup_removes_orphan_directories_and_staging_snapshots_of_dead_processes()
    {
        await CommitLayerAsync("keep", null, ("a", "1"));
        await Snapshotter.PrepareAsync($"unpack-{Environment.ProcessId}-mine", "keep"); // alive owner: kept
        await Snapshotter.PrepareAsync("unpack-999999999-crashed", "keep"); // a process that no longer exists
        var crashedDir = Snapshotter.DirectoryOf("unpack-999999999-crashed")!;
        var orphan = Directory.CreateDirectory(Path.Combine(Snapshotter.Root, "424242", "fs")).Parent!.FullName;

        var removed = await Snapshotter.CleanupAsync();

        Assert.Equal(2, removed);
        Assert.False(Directory.Exists(orphan));
        Assert.False(Directory.Exists(crashedDir));
        Assert.Equal(["keep", $"unpack-{Environment.ProcessId}-mine"], await Snapshotter.ListAsync().Select(s => s.Name).ToListAsync());
    }
}
