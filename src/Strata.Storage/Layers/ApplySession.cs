using System.Text;
using Strata.Oci;

namespace Strata.Storage.Layers;

/// <summary>The state of one layer application: the root, what this layer wrote, directory times to set last.</summary>
internal sealed class ApplySession
{
    private const int MaxSymlinkHops = 40;

    /// <summary>Linux's PATH_MAX (bytes, with the NUL) and NAME_MAX: longer names cannot be used with path calls.</summary>
    private const int PathMax = 4096;
    private const int NameMax = 255;

    private readonly string _root;
    private readonly LayerApplyOptions _options;
    private readonly bool _isRoot = UnixFs.EffectiveUid == 0;

    /// <summary>Paths (resolved, relative to the root) that entries of this layer created: whiteouts and opaque
    /// markers only hide lower content (image-spec layer.md#whiteouts), never what the same layer wrote.</summary>
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (long Seconds, uint Nanos)> _dirTimes = new(StringComparer.Ordinal);

    public ApplySession(string root, LayerApplyOptions options)
    {
        _root = root;
        _options = options;
    }

    public async Task<long> RunAsync(LayerTarReader reader, CancellationToken cancellationToken)
    {
        long count = 0;
        var buffer = new byte[128 * 1024];
        while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            count++;
            await ApplyEntryAsync(reader, entry, buffer, cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    /// <summary>Sets directory mtimes last, since creating their children changed them.</summary>
    public void FinishDirectoryTimes()
    {
        foreach (var (dir, (sec, ns)) in _dirTimes.OrderByDescending(d => d.Key.Length))
        {
            if (UnixFs.TryLstat(dir) is { IsDirectory: true })
            {
                UnixFs.SetMtime(dir, sec, ns);
            }
        }
    }

    private async Task ApplyEntryAsync(LayerTarReader reader, TarEntryHeader entry, byte[] buffer, CancellationToken cancellationToken)
    {
        var rel = LayerPath.Normalize(entry.Name);
        if (rel.Length == 0)
        {
            // The root itself ("./"): its metadata belongs to the snapshot, not the layer.
            return;
        }

        rel = LayerPath.Join(_options.Subdirectory, rel);
        CheckLength(entry.Name, rel);
        var name = LayerPath.BaseName(rel);
        var parentRel = LayerPath.Parent(rel);
        // Not a layer (ADD of an archive): whiteout names are ordinary names.
        var whiteouts = _options.Whiteouts != WhiteoutMode.Literal;
        if (whiteouts && name == LayerPath.OpaqueMarker)
        {
            var dir = ResolveDirectory(entry.Name, parentRel, create: true);
            ApplyOpaque(dir);
            return;
        }

        if (whiteouts && name.StartsWith(LayerPath.WhiteoutMetaPrefix, StringComparison.Ordinal))
        {
            // AUFS bookkeeping (.wh..wh.plnk, .wh..wh.orph): never content.
            return;
        }

        if (whiteouts && name.StartsWith(LayerPath.WhiteoutPrefix, StringComparison.Ordinal))
        {
            var hidden = name[LayerPath.WhiteoutPrefix.Length..];
            if (hidden.Length == 0 || hidden is "." or ".." || hidden.Contains('/', StringComparison.Ordinal))
            {
                throw LayerErrors.Unsafe(entry.Name, "a whiteout must name one entry of its directory");
            }

            var dir = ResolveDirectory(entry.Name, parentRel, create: _options.Whiteouts == WhiteoutMode.Overlay);
            if (dir is not null)
            {
                ApplyWhiteout(dir, hidden);
            }

            return;
        }

        var parent = ResolveDirectory(entry.Name, parentRel, create: true)!;
        var full = parent + "/" + name;
        var relResolved = Relative(full);
        var existing = UnixFs.TryLstat(full);
        switch (entry.Type)
        {
            case LayerEntryType.Directory:
                if (existing is not { IsDirectory: true })
                {
                    if (existing is not null)
                    {
                        RemoveAll(full);
                    }

                    Directory.CreateDirectory(full);
                }

                _written.Add(relResolved);
                SetOwnerModeXattrs(full, entry, chmod: true);
                _dirTimes[full] = (entry.MtimeSeconds, entry.MtimeNanos);
                return;

            case LayerEntryType.RegularFile:
                Replace(full, existing);
                await WriteFileAsync(reader, full, entry, buffer, cancellationToken).ConfigureAwait(false);
                break;

            case LayerEntryType.Symlink:
                if (entry.LinkName.Length == 0)
                {
                    throw LayerErrors.Malformed($"symlink \"{entry.Name}\" has an empty target"); // symlink(2) refuses one too
                }

                // Any target is harmless as a link, even one climbing above the root (docker accepts both): it is
                // resolved inside the root when used, and writes through it are resolved by ResolveDirectory.
                if (Encoding.UTF8.GetByteCount(entry.LinkName) >= PathMax)
                {
                    throw LayerErrors.TooLong(entry.Name, $"a symlink target of {Encoding.UTF8.GetByteCount(entry.LinkName)} bytes (the limit is {PathMax - 1})");
                }

                Replace(full, existing);
                File.CreateSymbolicLink(full, entry.LinkName);
                break;

            case LayerEntryType.Hardlink:
                var target = ResolveHardlinkTarget(entry);
                if (target == full)
                {
                    _written.Add(relResolved);
                    return;
                }

                Replace(full, existing);
                UnixFs.Link(target, full);
                _written.Add(relResolved);

                // A hardlink shares the target's inode and metadata: nothing more to set.
                return;

            case LayerEntryType.CharDevice or LayerEntryType.BlockDevice:
                switch (_options.Devices)
                {
                    case DevicePolicy.Refuse:
                        throw StrataException.Invalid(LayerErrors.DeviceRefused,
                            $"refusing layer entry \"{entry.Name}\": device nodes ({entry.Type} {entry.DevMajor}:{entry.DevMinor}) are not allowed in this layer");
                    case DevicePolicy.Skip:
                        return;
                }

                Replace(full, existing);
                UnixFs.Mknod(full, (entry.Type == LayerEntryType.CharDevice ? UnixStat.TypeChar : UnixStat.TypeBlock) | entry.Mode, entry.DevMajor, entry.DevMinor);
                break;

            case LayerEntryType.Fifo:
                Replace(full, existing);
                UnixFs.Mknod(full, UnixStat.TypeFifo | entry.Mode, 0, 0);
                break;
        }

        _written.Add(relResolved);
        SetOwnerModeXattrs(full, entry, chmod: entry.Type != LayerEntryType.Symlink);
        UnixFs.SetMtime(full, entry.MtimeSeconds, entry.MtimeNanos);
    }

    private static async Task WriteFileAsync(LayerTarReader reader, string full, TarEntryHeader entry, byte[] buffer, CancellationToken cancellationToken)
    {
        // No preallocation: the declared size is the archive's claim, and a hostile one would reserve the disk
        // before a byte arrived. The file only ever holds what was read.
        var fs = new FileStream(full, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, // O_EXCL: never opens through a symlink planted at the final component.
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            Options = FileOptions.None,
        });
        await using (fs.ConfigureAwait(false))
        {
            if (entry.Sparse is not { } map)
            {
                int n;
                while ((n = await reader.ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await fs.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            // Sparse: each fragment at its offset; what lies between stays a hole (GNU tar, containers/storage).
            foreach (var segment in map)
            {
                fs.Position = segment.Offset;
                var left = segment.Length;
                while (left > 0)
                {
                    var n = await reader.ReadDataAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                    await fs.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    left -= n;
                }
            }

            try
            {
                fs.SetLength(entry.Size);
            }
            catch (IOException e)
            {
                throw LayerErrors.Malformed($"sparse file \"{entry.Name}\" of {entry.Size} bytes cannot be made here: {e.Message}");
            }
        }
    }

    /// <summary>Refuses names the kernel's path calls cannot take (PATH_MAX, NAME_MAX), before any of them is tried.</summary>
    private void CheckLength(string entryName, string rel)
    {
        foreach (var component in rel.Split('/'))
        {
            var bytes = Encoding.UTF8.GetByteCount(component);
            if (bytes > NameMax)
            {
                throw LayerErrors.TooLong(entryName, $"a name component of {bytes} bytes (the limit is {NameMax})");
            }
        }

        var total = Encoding.UTF8.GetByteCount(_root) + 1 + Encoding.UTF8.GetByteCount(rel);
        if (total >= PathMax)
        {
            throw LayerErrors.TooLong(entryName, $"a path of {total} bytes with the layer root (the limit is {PathMax - 1})");
        }
    }

    private void SetOwnerModeXattrs(string full, TarEntryHeader entry, bool chmod)
    {
        var (uid, gid) = _options.Owner ?? (entry.Uid, entry.Gid);
        if (uid is < 0 or > int.MaxValue || gid is < 0 or > int.MaxValue)
        {
            throw LayerErrors.Malformed($"entry \"{entry.Name}\" has an out-of-range owner {uid}:{gid}");
        }

        if (_isRoot)
        {
            UnixFs.Lchown(full, (int)uid, (int)gid);
        }

        // chmod after chown: chown clears setuid/setgid.
        if (chmod)
        {
            UnixFs.Chmod(full, _options.Mode ?? entry.Mode);
        }

        // xattrs after chown too: chown drops security.capability.
        foreach (var (key, value) in entry.Xattrs)
        {
            if (key.StartsWith("trusted.overlay.", StringComparison.Ordinal))
            {
                // Overlay metadata must come from whiteout entries only, never from the archive.
                continue;
            }

            var errno = UnixFs.TrySetXattr(full, key, value);
            if (errno is not (0 or UnixFs.ENOTSUP or UnixFs.EPERM))
            {
                throw new StrataException(ErrorKind.Unknown, "FS_ERROR", $"layer entry \"{entry.Name}\": lsetxattr {key}: {UnixFs.ErrnoText(errno)}");
            }

            // ENOTSUP/EPERM: the filesystem or namespace cannot hold it (user.* on symlinks, security.* unprivileged);
            // skipped as docker does.
        }
    }

    private void ApplyOpaque(string? dir)
    {
        if (dir is null)
        {
            return;
        }

        if (_options.Whiteouts == WhiteoutMode.Overlay)
        {
            UnixFs.SetXattr(dir, "trusted.overlay.opaque", "y"u8);
            return;
        }

        PruneLower(dir);
    }

    /// <summary>Deletes everything under <paramref name="dir"/> that this layer did not write.</summary>
    private void PruneLower(string dir)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(dir))
        {
            var rel = Relative(child);
            if (!_written.Contains(rel))
            {
                RemoveAll(child);
            }
            else if (UnixFs.TryLstat(child) is { IsDirectory: true })
            {
                PruneLower(child);
            }
        }
    }

    private void ApplyWhiteout(string dir, string hidden)
    {
        var full = dir + "/" + hidden;
        if (_written.Contains(Relative(full)))
        {
            // Same-layer content is not hidden by its own layer's whiteouts.
            return;
        }

        if (UnixFs.TryLstat(full) is not null)
        {
            RemoveAll(full);
        }

        if (_options.Whiteouts == WhiteoutMode.Overlay)
        {
            UnixFs.Mknod(full, UnixStat.TypeChar, 0, 0);
        }
    }

    private string ResolveHardlinkTarget(TarEntryHeader entry)
    {
        var targetRel = LayerPath.Normalize(entry.LinkName);
        if (targetRel.Length == 0)
        {
            throw LayerErrors.Unsafe(entry.Name, "a hardlink to the layer root");
        }

        targetRel = LayerPath.Join(_options.Subdirectory, targetRel);
        CheckLength(entry.Name, targetRel);

        var dir = ResolveDirectory(entry.Name, LayerPath.Parent(targetRel), create: false);
        var target = dir is null ? null : dir + "/" + LayerPath.BaseName(targetRel);
        var st = target is null ? null : UnixFs.TryLstat(target);
        if (st is null)
        {
            throw StrataException.Invalid(LayerErrors.InvalidLink, $"layer entry \"{entry.Name}\": hardlink target \"{entry.LinkName}\" does not exist in the layer");
        }

        if (st.Value.IsDirectory)
        {
            throw LayerErrors.Unsafe(entry.Name, $"hardlink to a directory (\"{entry.LinkName}\")");
        }

        return target!;
    }

    /// <summary>
    /// Resolves a directory path (relative, normalized) inside the root: existing symlinks are followed as
    /// a chroot would (absolute targets from the root) but a target that climbs above the root is refused;
    /// missing components are created (0755) when <paramref name="create"/>, else null is returned; a
    /// non-directory in the way is replaced by a directory (a later layer may turn a file into a dir).
    /// </summary>
    private string? ResolveDirectory(string entryName, string rel, bool create)
    {
        var resolved = new List<string>();
        var pending = new LinkedList<string>(rel.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (pending.First is { } node)
        {
            var c = node.Value;
            pending.RemoveFirst();
            if (c is "" or ".")
            {
                continue;
            }

            if (c == "..")
            {
                if (resolved.Count == 0)
                {
                    throw LayerErrors.Unsafe(entryName, "a symlink in its path leads outside the layer root");
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            var path = _root + "/" + string.Join('/', resolved.Append(c));
            if (Encoding.UTF8.GetByteCount(path) >= PathMax || Encoding.UTF8.GetByteCount(c) > NameMax)
            {
                throw LayerErrors.TooLong(entryName, "its path, with the symlinks in it followed, is longer than PATH_MAX");
            }

            var st = UnixFs.TryLstat(path);
            if (st is null)
            {
                if (!create)
                {
                    return null;
                }

                Directory.CreateDirectory(path);
                resolved.Add(c);
                continue;
            }

            if (st.Value.IsDirectory)
            {
                resolved.Add(c);
                continue;
            }

            if (st.Value.IsSymlink)
            {
                if (++hops > MaxSymlinkHops)
                {
                    throw LayerErrors.Unsafe(entryName, "too many levels of symlinks in its path");
                }

                var target = new FileInfo(path).LinkTarget ?? "";
                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.AddFirst(part);
                }

                continue;
            }

            if (!create)
            {
                return null;
            }

            // A file where the layer needs a directory: docker replaces it.
            RemoveAll(path);
            Directory.CreateDirectory(path);
            resolved.Add(c);
        }

        return resolved.Count == 0 ? _root : _root + "/" + string.Join('/', resolved);
    }

    private void Replace(string full, UnixStat? existing)
    {
        if (existing is not null)
        {
            RemoveAll(full);
        }
    }

    private string Relative(string full) => full.Length <= _root.Length ? "" : full[(_root.Length + 1)..];

    private static void RemoveAll(string full) => UnixFs.RemoveAll(full);
}
