using System.Globalization;
using System.Runtime.CompilerServices;
using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Metadata;

namespace Strata.Storage.Snapshots;

/// <summary>
/// What both drivers share: metadata in <see cref="SnapshotStore"/>, one directory per snapshot id
/// (<c>ROOT/snapshots/&lt;id&gt;/fs</c>, plus <c>work</c> for active overlay snapshots), commit as a metadata
/// rename, removal as row-then-directory, and a cleanup of what crashed processes left behind.
/// </summary>
public abstract class SnapshotterBase : ISnapshotter
{
    /// <summary>Active snapshot key prefixes whose next component is the owning process id (staging work).</summary>
    public static readonly IReadOnlyList<string> StagingPrefixes = ["unpack-", "staging-", "extract-"];

    protected SnapshotterBase(string root, MetadataDb db)
    {
        Root = Path.GetFullPath(root);
        Store = new SnapshotStore(db);
        Directory.CreateDirectory(Root);
    }

    public abstract string Driver { get; }

    /// <summary>The directory holding one directory per snapshot id.</summary>
    public string Root { get; }

    public SnapshotStore Store { get; }

    /// <summary>How layers must be applied into this driver's active snapshots.</summary>
    public abstract WhiteoutMode LayerWhiteouts { get; }

    public async Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken = default) =>
        (await Store.GetAsync(key, cancellationToken).ConfigureAwait(false))?.ToInfo();

    public async IAsyncEnumerable<SnapshotInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in await Store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return row.ToInfo();
        }
    }

    public Task<IReadOnlyList<MountSpec>> PrepareAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        CreateAsync(key, parent, SnapshotKind.Active, labels, cancellationToken);

    public Task<IReadOnlyList<MountSpec>> ViewAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        CreateAsync(key, parent, SnapshotKind.View, labels, cancellationToken);

    public async Task<IReadOnlyList<MountSpec>> MountsAsync(string key, CancellationToken cancellationToken = default)
    {
        var row = await Store.GetAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.NotFound("SNAPSHOT_NOT_FOUND", $"snapshot {key} does not exist");
        if (row.Kind == SnapshotKind.Committed)
        {
            throw StrataException.Precondition("SNAPSHOT_COMMITTED", $"snapshot {key} is committed: take a view of it to mount it");
        }

        return await MountsForAsync(row, cancellationToken).ConfigureAwait(false);
    }

    public async Task CommitAsync(string name, string key, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        var row = await Store.GetAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.NotFound("SNAPSHOT_NOT_FOUND", $"snapshot {key} does not exist");

        // The files are complete before the metadata says so: a crash before the UPDATE leaves an active
        // snapshot (removed by cleanup), never a committed one with half its files.
        Sync(FsOf(row.Id));
        await Store.CommitAsync(name, key, labels, cancellationToken).ConfigureAwait(false);
        var work = Path.Combine(DirOf(row.Id), "work");
        if (Directory.Exists(work))
        {
            UnixFs.RemoveAll(work);
        }
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        var row = await Store.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        RemoveDirectory(row.Id);
    }

    public async Task<(long Bytes, long Inodes)> UsageAsync(string key, CancellationToken cancellationToken = default)
    {
        var row = await Store.GetAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.NotFound("SNAPSHOT_NOT_FOUND", $"snapshot {key} does not exist");
        var dir = FsOf(row.Id);
        if (row.Kind == SnapshotKind.View && !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            return (0, 0);
        }

        var seen = new HashSet<ulong>();
        long bytes = 0;
        long inodes = 0;
        foreach (var p in Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (UnixFs.TryLstat(p) is not { } st || !seen.Add(st.Inode))
            {
                continue;
            }

            inodes++;
            if (st.IsRegular)
            {
                bytes += st.Size;
            }
        }

        return (bytes, inodes);
    }

    public string? DirectoryOf(string key) => Store.IdOf(key) is { } id ? FsOf(id) : null;

    /// <summary>
    /// Removes what crashed processes left: directories without a metadata row, and active snapshots under a
    /// staging prefix (<see cref="StagingPrefixes"/>, key <c>PREFIX&lt;pid&gt;-...</c>) whose process is gone.
    /// Returns how many were removed.
    /// </summary>
    public async Task<int> CleanupAsync(CancellationToken cancellationToken = default)
    {
        // Directories first, rows second: a directory is only created after its row is committed, so any
        // directory listed here whose row is missing below is really an orphan.
        var dirs = Directory.EnumerateDirectories(Root).Select(Path.GetFileName).ToList();
        var rows = await Store.ListAsync(cancellationToken).ConfigureAwait(false);
        var ids = rows.Select(r => r.Id.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var d in dirs)
        {
            var orphan = d is not null && long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out _) && !ids.Contains(d);
            if (orphan || (d?.StartsWith(".removing-", StringComparison.Ordinal) ?? false))
            {
                UnixFs.RemoveAll(Path.Combine(Root, d!));
                removed++;
            }
        }

        foreach (var row in rows.Where(r => r.Kind == SnapshotKind.Active).OrderByDescending(r => r.Id))
        {
            if (StagingOwner(row.Key) is { } pid && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    await RemoveAsync(row.Key, cancellationToken).ConfigureAwait(false);
                    removed++;
                }
                catch (StrataException e) when (e.Kind is ErrorKind.FailedPrecondition or ErrorKind.NotFound)
                {
                    // Has children now, or another process cleaned it first.
                }
            }
        }

        return removed;
    }

    /// <summary>The owning pid encoded in a staging key, or null when the key is not a staging key.</summary>
    public static int? StagingOwner(string key)
    {
        foreach (var prefix in StagingPrefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = key[prefix.Length..];
                var dash = rest.IndexOf('-', StringComparison.Ordinal);
                if (int.TryParse(dash < 0 ? rest : rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    return pid;
                }
            }
        }

        return null;
    }

    protected string DirOf(long id) => Path.Combine(Root, id.ToString(CultureInfo.InvariantCulture));

    protected string FsOf(long id) => Path.Combine(DirOf(id), "fs");

    /// <summary>Creates the new snapshot's directories (and content, for copy-based drivers).</summary>
    protected abstract Task CreateDirectoriesAsync(SnapshotRow row, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<MountSpec>> MountsForAsync(SnapshotRow row, CancellationToken cancellationToken);

    /// <summary>The fs directories of <paramref name="id"/>'s chain, nearest first.</summary>
    protected async Task<IReadOnlyList<string>> ChainDirsAsync(long id, CancellationToken cancellationToken) =>
        (await Store.ChainAsync(id, cancellationToken).ConfigureAwait(false)).Select(FsOf).ToList();

    private async Task<IReadOnlyList<MountSpec>> CreateAsync(string key, string? parent, SnapshotKind kind, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        var row = await Store.CreateAsync(key, parent, kind, labels, cancellationToken).ConfigureAwait(false);
        try
        {
            // A directory left from a crashed process with a recycled id would be an orphan: start clean.
            RemoveDirectory(row.Id);
            Directory.CreateDirectory(FsOf(row.Id));
            UnixFs.Chmod(FsOf(row.Id), 0x1ED);
            await CreateDirectoriesAsync(row, cancellationToken).ConfigureAwait(false);
            return await MountsForAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await Store.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            RemoveDirectory(row.Id);
            throw;
        }
    }

    private void RemoveDirectory(long id)
    {
        var dir = DirOf(id);
        if (UnixFs.TryLstat(dir) is null)
        {
            return;
        }

        // Rename first so a half-deleted tree never sits at a snapshot's path.
        var trash = Path.Combine(Root, $".removing-{id}-{Guid.NewGuid():N}");
        Directory.Move(dir, trash);
        UnixFs.RemoveAll(trash);
    }

    private static void Sync(string dir) => UnixFs.SyncFilesystem(dir);
}
