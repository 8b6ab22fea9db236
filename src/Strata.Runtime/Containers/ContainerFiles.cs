using Strata.Oci;
using Strata.Runtime.Bundles;
using Strata.Storage.Layers;
using Strata.Storage.Snapshots;

namespace Strata.Runtime.Containers;

/// <summary>
/// A container's files: what it changed (<c>diff</c>), its whole filesystem (<c>export</c>) and copies in and
/// out (<c>cp</c>), each with the root filesystem mounted for the call when the container is stopped.
/// </summary>
public sealed class ContainerFiles
{
    private readonly ContainerManager _containers;
    private readonly ISnapshotter _snapshots;
    private readonly ILayerDiffer _differ;

    public ContainerFiles(ContainerManager containers, ISnapshotter snapshots, ILayerDiffer differ)
    {
        _containers = containers;
        _snapshots = snapshots;
        _differ = differ;
    }

    /// <summary>
    /// <c>diff</c>: what the container changed, read from its upper directory (overlay whiteouts are deletions;
    /// a path that an image layer also has is a change, else an addition), sorted as docker prints them.
    /// </summary>
    public async Task<IReadOnlyList<ContainerChange>> DiffAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var c = await _containers.GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        var upper = _snapshots.DirectoryOf(c.SnapshotKey) ?? throw StrataException.NotFound("SNAPSHOT_NOT_FOUND", $"container {c.ShortId} has no writable layer");
        if (_snapshots.Driver != "overlay")
        {
            throw StrataException.Precondition("DIFF_DRIVER", $"diff needs the overlay storage driver (this store uses {_snapshots.Driver})");
        }

        var lowers = await _containers.LowerDirsAsync(c, cancellationToken).ConfigureAwait(false);
        var changes = new List<ContainerChange>();
        Walk(upper, "/", lowers, changes, cancellationToken);
        return [.. changes.OrderBy(x => x.Path, StringComparer.Ordinal)];
    }

    private static void Walk(string dir, string rel, IReadOnlyList<string> lowers, List<ContainerChange> changes, CancellationToken cancellationToken)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(entry);
            var path = rel + name;
            if (UnixFs.TryLstat(entry) is not { } st)
            {
                continue;
            }

            if (st.FileType == UnixStat.TypeChar && st.RdevMajor == 0 && st.RdevMinor == 0)
            {
                changes.Add(new ContainerChange('D', path));
                continue;
            }

            var inLower = lowers.Any(l => Path.Exists(Path.Combine(l, path.TrimStart('/'))) || new FileInfo(Path.Combine(l, path.TrimStart('/'))).LinkTarget is not null);
            changes.Add(new ContainerChange(inLower ? 'C' : 'A', path));
            if (st.FileType == UnixStat.TypeDirectory)
            {
                Walk(entry, path + "/", lowers, changes, cancellationToken);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> with the container's root filesystem mounted (mounting it for the call when stopped).</summary>
    public async Task<T> WithRootfsAsync<T>(string nameOrId, Func<ContainerRecord, string, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var c = await _containers.GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        var rootfs = _containers.RootfsDir(c.Id);
        if (ContainerManager.IsMounted(rootfs))
        {
            return await work(c, rootfs).ConfigureAwait(false);
        }

        var temp = Path.Combine(_containers.ContainerDir(c.Id), "mnt-" + Environment.ProcessId);
        Directory.CreateDirectory(temp);
        try
        {
            await _containers.MountRootfsAsync(c, temp, cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(c, temp).ConfigureAwait(false);
            }
            finally
            {
                Mounter.TryUnmount(temp, detach: true);
            }
        }
        finally
        {
            Directory.Delete(temp);
        }
    }

    /// <summary><c>export</c>: the container's whole filesystem as a plain tar.</summary>
    public Task<LayerDiffResult> ExportAsync(string nameOrId, Stream output, CancellationToken cancellationToken = default) =>
        WithRootfsAsync(nameOrId, (_, root) => _differ.DiffAsync(root, output, LayerCompression.None, overlayWhiteouts: false, cancellationToken), cancellationToken);

    /// <summary><c>cp CONTAINER:SRC DEST</c>: copies a file or directory out of the container.</summary>
    public Task<string> CopyFromAsync(string nameOrId, string source, string destination, CancellationToken cancellationToken = default) =>
        WithRootfsAsync(nameOrId, async (c, root) =>
        {
            var from = RootfsPath.Resolve(root, source);
            if (!Path.Exists(from))
            {
                throw StrataException.NotFound("CP_SOURCE", $"Could not find the file {source} in container {c.Name}");
            }

            var to = Directory.Exists(destination) ? Path.Combine(destination, Path.GetFileName(from.TrimEnd('/'))) : destination;
            await CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
            return to;
        }, cancellationToken);

    /// <summary><c>cp SRC CONTAINER:DEST</c>: copies a host file or directory into the container's writable layer.</summary>
    public Task<string> CopyToAsync(string nameOrId, string source, string destination, CancellationToken cancellationToken = default) =>
        WithRootfsAsync(nameOrId, async (c, root) =>
        {
            if (!Path.Exists(source))
            {
                throw StrataException.NotFound("CP_SOURCE", $"stat {source}: no such file or directory");
            }

            var target = RootfsPath.Resolve(root, destination);
            var to = Directory.Exists(target) ? Path.Combine(target, Path.GetFileName(Path.GetFullPath(source).TrimEnd('/'))) : target;
            if (!Directory.Exists(Path.GetDirectoryName(to)))
            {
                throw StrataException.NotFound("CP_DEST", $"Could not find the file {destination} in container {c.Name}");
            }

            await CopyAsync(source, to, cancellationToken).ConfigureAwait(false);
            return to;
        }, cancellationToken);

    private static async Task CopyAsync(string from, string to, CancellationToken cancellationToken)
    {
        if (Directory.Exists(from))
        {
            await TreeCopier.CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
            return;
        }

        var tmp = to + ".strata-cp-" + Environment.ProcessId;
        File.Copy(from, tmp, overwrite: true);
        File.SetUnixFileMode(tmp, File.GetUnixFileMode(from));
        File.Move(tmp, to, overwrite: true);
    }
}
