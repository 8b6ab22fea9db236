using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Storage.Tests.Snapshots;

public sealed class OverlaySnapshotterTests : SnapshotterConformance
{
    protected override SnapshotterBase Create(string root, MetadataDb db) => new OverlaySnapshotter(root, db);

    [Fact]
    public void Overlay_is_available_on_this_host()
    {
        // Tests run as root on a filesystem that supports overlay upper dirs; CI must not skip overlay.
        Assert.True(OverlaySupport.IsAvailable(Path.Combine(Base, "check")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Base, "check")));
    }

    [Fact]
    public async Task A_130_layer_stack_mounts_past_the_option_length_limit()
    {
        string? parent = null;
        for (var i = 0; i < 130; i++)
        {
            var name = $"sha256:{i:x64}";
            await CommitLayerAsync(name, parent, ($"layer-{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("top", $"from layer {i}"));
            parent = name;
        }

        var mounts = await Snapshotter.PrepareAsync("container", parent);
        var options = string.Join(',', mounts[0].Options);
        Assert.True(options.Length > Mounter.MaxMountDataLength, $"the option string is only {options.Length} bytes: the test would not cover the limit");

        var rootfs = MountAt(mounts, "tall");
        Assert.Equal("from layer 129", await File.ReadAllTextAsync(Path.Combine(rootfs, "top")));
        Assert.Equal("0", await File.ReadAllTextAsync(Path.Combine(rootfs, "layer-0")));
        Assert.Equal(130 + 1, Directory.GetFileSystemEntries(rootfs).Length);
        await File.WriteAllTextAsync(Path.Combine(rootfs, "top"), "written");
        Unmount(rootfs);
        Assert.Equal("written", await File.ReadAllTextAsync(Path.Combine(Snapshotter.DirectoryOf("container")!, "top")));

        var view = MountAt(await Snapshotter.ViewAsync("tall-view", parent), "tall-view");
        Assert.Equal("from layer 129", await File.ReadAllTextAsync(Path.Combine(view, "top")));
    }
}
