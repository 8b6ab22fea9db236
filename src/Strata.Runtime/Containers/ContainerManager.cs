using Strata.Oci;
using Strata.Runtime.Oci;
using Strata.Runtime.Volumes;
using Strata.Storage.Content;
using Strata.Storage.Images;
using Strata.Storage.Layers;
using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Runtime.Containers;

/// <summary>
/// Containers on the local store, daemonless: each command works on the database and the container's
/// directory (<c>&lt;root&gt;/containers/ID</c>); a running container is watched by a monitor process (or by
/// the CLI itself for an attached run) that owns its output, records its exit and applies its restart policy.
/// One partial file per concern: Create, Start (and the monitor loop), Stop, Remove, Commit. A container's files
/// are <see cref="ContainerFiles"/>, its processes <see cref="ContainerExec"/>, volumes <see cref="VolumeManager"/>.
/// </summary>
public sealed partial class ContainerManager
{
    private const string LowerDirOption = "lowerdir=";
    private readonly string _root;
    private readonly IImageStore _images;
    private readonly SnapshotterBase _snapshots;
    private readonly IContentStore _content;
    private readonly ImageWriter _writer;
    private readonly ILayerDiffer _differ;
    private readonly string? _runtime;

    public ContainerManager(string root, MetadataDb db, IImageStore images, SnapshotterBase snapshots, IContentStore content, ImageWriter writer, ILayerDiffer differ, string? runtime)
    {
        _root = root;
        _images = images;
        _snapshots = snapshots;
        _content = content;
        _writer = writer;
        _differ = differ;
        _runtime = runtime;
        Store = new ContainerStore(db);
        Volumes = new VolumeStore(db, Path.Combine(root, "volumes"));
        Networks = new Network.NetworkManager(db, Store, root);
    }

    public ContainerStore Store { get; }

    public VolumeStore Volumes { get; }

    public Network.NetworkManager Networks { get; }

    /// <summary>The strata binary and global arguments the monitor is started with (set by the CLI).</summary>
    public IReadOnlyList<string> MonitorCommand { get; set; } = [];

    /// <summary>Notices and timing steps of create/start/remove (the engine passes the front end's).</summary>
    public IEngineEvents Events { get; set; } = SilentEngineEvents.Instance;

    /// <summary>The streams an attached run without a terminal uses (set by the front end that attaches).</summary>
    public ContainerStdio Stdio { get; set; } = ContainerStdio.None;

    public string ContainerDir(string id) => Path.Combine(_root, "containers", id);

    public string RootfsDir(string id) => Path.Combine(ContainerDir(id), "rootfs");

    public string LogPath(string id) => Path.Combine(ContainerDir(id), "container.log");

    public OciRuntime RuntimeFor(ContainerSpec spec) => RuntimeSelector.Select(spec.Runtime, Path.Combine(_root, "runtime"));

    /// <summary>The runtime new containers get (<c>--runtime</c>, else crun where it works, else runc).</summary>
    public OciRuntime DefaultRuntime() => RuntimeSelector.Select(_runtime, Path.Combine(_root, "runtime"));

    /// <summary>Finds a container and brings its state up to date (a monitor that died leaves it exited).</summary>
    public async Task<ContainerRecord> GetAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        await ReconcileAsync(await Store.ResolveAsync(nameOrId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ContainerRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<ContainerRecord>();
        foreach (var c in await Store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(await ReconcileAsync(c, cancellationToken).ConfigureAwait(false));
        }

        return list;
    }

    /// <summary>Who uses an image (for <c>rmi</c>).</summary>
    public async Task<IReadOnlyList<ImageUser>> ImageUsersAsync(Digest imageId, CancellationToken cancellationToken = default) =>
        [.. (await Store.UsingImageAsync(imageId.ToString(), cancellationToken).ConfigureAwait(false)).Select(c => new ImageUser(c.Id, "container", c.State.IsActive))];

    private async Task<ContainerRecord> ReconcileAsync(ContainerRecord c, CancellationToken cancellationToken)
    {
        if (!c.State.IsActive || c.State.MonitorPid == 0 || ProcessAlive(c.State.MonitorPid))
        {
            return c;
        }

        // The process that watched it is gone (killed, machine crash): the container is not running any more.
        var runtime = RuntimeFor(c.Spec);
        if (await runtime.StatusAsync(c.Id, cancellationToken).ConfigureAwait(false) is "running" or "paused")
        {
            await runtime.KillAsync(c.Id, "KILL", cancellationToken).ConfigureAwait(false);
        }

        await runtime.DeleteAsync(c.Id, cancellationToken).ConfigureAwait(false);
        UnmountRootfs(c.Id);
        await Networks.DetachAsync(c.Id, cancellationToken).ConfigureAwait(false);
        return await Store.UpdateStateAsync(c.Id, s => s.IsActive && s.MonitorPid == c.State.MonitorPid
            ? s with { Status = ContainerStatus.Exited, ExitCode = 255, Pid = 0, MonitorPid = 0, IpAddress = string.Empty, Endpoints = [], FinishedAt = DateTimeOffset.UtcNow, Error = "the monitor process exited unexpectedly" }
            : s, cancellationToken).ConfigureAwait(false);
    }

    internal static bool ProcessAlive(int pid) => pid > 0 && Directory.Exists("/proc/" + pid) && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void UnmountRootfs(string id)
    {
        var rootfs = RootfsDir(id);
        while (IsMounted(rootfs))
        {
            if (!Mounter.TryUnmount(rootfs, detach: true))
            {
                break;
            }
        }
    }

    /// <summary>Mounts the container's root filesystem at <paramref name="target"/>: its snapshot with the init layer above the image's lowers.</summary>
    internal async Task MountRootfsAsync(ContainerRecord c, string target, CancellationToken cancellationToken)
    {
        var mounts = await _snapshots.MountsAsync(c.SnapshotKey, cancellationToken).ConfigureAwait(false);
        var init = Path.Combine(ContainerDir(c.Id), "init");
        Mounter.MountAll([.. mounts.Select(m => m.Type != "overlay" ? m : m with
        {
            Options = m.Options.Any(o => o.StartsWith(LowerDirOption, StringComparison.Ordinal))
                ? [.. m.Options.Select(o => o.StartsWith(LowerDirOption, StringComparison.Ordinal) ? LowerDirOption + init + ":" + o[LowerDirOption.Length..] : o)]
                : [.. m.Options, LowerDirOption + init],
        })], target);
        if (mounts.All(m => m.Type != "overlay"))
        {
            // The copy-based driver has no init layer: make the mount points in the rootfs itself.
            await TreeCopier.CopyAsync(init, target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The image layer directories under the container's writable layer, top first (overlay only).</summary>
    public async Task<IReadOnlyList<string>> LowerDirsAsync(ContainerRecord c, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(c);
        var mounts = await _snapshots.MountsAsync(c.SnapshotKey, cancellationToken).ConfigureAwait(false);
        return [.. mounts.SelectMany(m => m.Options).Where(o => o.StartsWith(LowerDirOption, StringComparison.Ordinal)).SelectMany(o => o[LowerDirOption.Length..].Split(':'))];
    }

    internal static bool IsMounted(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                var f = line.Split(' ');
                if (f.Length > 4 && f[4].Replace("\\040", " ", StringComparison.Ordinal) == full)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
        }

        return false;
    }
}
