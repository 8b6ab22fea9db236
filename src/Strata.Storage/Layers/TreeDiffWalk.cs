namespace Strata.Storage.Layers;

/// <summary>
/// The diff of two full trees (copy-based snapshots): entries added or changed in the upper tree, a
/// <c>.wh.NAME</c> for each path gone from it, and the parent directories of every change (so a layer
/// applied on its own does not invent parents with default metadata). A path counts as changed when its
/// type, mode, owner, size, mtime (ns), link target, device or xattrs differ, like containerd's double walk.
/// </summary>
internal sealed class TreeDiffWalk
{
    private readonly DiffWalk _writer;
    private readonly List<(string Abs, string Rel, UnixStat St)> _pending = [];

    public TreeDiffWalk(DiffWalk writer) => _writer = writer;

    public async Task DiffAsync(string lower, string upper, string rel, CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(Comparer<string>.Create(DiffWalk.CompareUtf8));
        foreach (var p in Directory.EnumerateFileSystemEntries(upper))
        {
            names.Add(Path.GetFileName(p));
        }

        if (UnixFs.TryLstat(lower) is { IsDirectory: true })
        {
            foreach (var p in Directory.EnumerateFileSystemEntries(lower))
            {
                names.Add(Path.GetFileName(p));
            }
        }

        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var u = upper + "/" + name;
            var l = lower + "/" + name;
            var r = LayerPath.Join(rel, name);
            var us = UnixFs.TryLstat(u);
            var ls = UnixFs.TryLstat(l);
            if (us is not { } ust)
            {
                await FlushParentsAsync(cancellationToken).ConfigureAwait(false);
                await _writer.WriteWhiteoutAsync(r, UnixFs.Lstat(upper).MtimeSeconds, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (ls is not { } lst || ust.IsDirectory != lst.IsDirectory)
            {
                // Added, or a file <-> directory swap (applying the new entry replaces the old one).
                await FlushParentsAsync(cancellationToken).ConfigureAwait(false);
                await _writer.WriteOneAsync(u, r, ust, recurse: true, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (ust.IsDirectory)
            {
                if (Differs(u, ust, l, lst))
                {
                    await FlushParentsAsync(cancellationToken).ConfigureAwait(false);
                    await _writer.WriteOneAsync(u, r, ust, recurse: false, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    _pending.Add((u, r, ust));
                }

                await DiffAsync(l, u, r, cancellationToken).ConfigureAwait(false);
                if (_pending.Count > 0 && _pending[^1].Rel == r)
                {
                    _pending.RemoveAt(_pending.Count - 1);
                }

                continue;
            }

            if (Differs(u, ust, l, lst))
            {
                await FlushParentsAsync(cancellationToken).ConfigureAwait(false);
                await _writer.WriteOneAsync(u, r, ust, recurse: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FlushParentsAsync(CancellationToken cancellationToken)
    {
        foreach (var (abs, rel, st) in _pending)
        {
            await _writer.WriteOneAsync(abs, rel, st, recurse: false, cancellationToken).ConfigureAwait(false);
        }

        _pending.Clear();
    }

    private static bool Differs(string u, UnixStat us, string l, UnixStat ls)
    {
        if (us.Mode != ls.Mode || us.Uid != ls.Uid || us.Gid != ls.Gid)
        {
            return true;
        }

        if (us.IsRegular && (us.Size != ls.Size || us.MtimeSeconds != ls.MtimeSeconds || us.MtimeNanos != ls.MtimeNanos))
        {
            return true;
        }

        if (us.IsSymlink && new FileInfo(u).LinkTarget != new FileInfo(l).LinkTarget)
        {
            return true;
        }

        if (us.FileType is UnixStat.TypeChar or UnixStat.TypeBlock && (us.RdevMajor != ls.RdevMajor || us.RdevMinor != ls.RdevMinor))
        {
            return true;
        }

        if (us.IsDirectory && us.MtimeSeconds != ls.MtimeSeconds)
        {
            return true;
        }

        var ux = DiffWalk.LayerXattrs(u);
        var lx = DiffWalk.LayerXattrs(l);
        return ux.Count != lx.Count || ux.Any(kv => !lx.TryGetValue(kv.Key, out var v) || !v.AsSpan().SequenceEqual(kv.Value));
    }
}
