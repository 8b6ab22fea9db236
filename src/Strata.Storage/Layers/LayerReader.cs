using System.Runtime.CompilerServices;

namespace Strata.Storage.Layers;

/// <summary>Lists a layer blob's entries (gzip, zstd or plain) without extracting it, e.g. for image analysis.</summary>
public static class LayerReader
{
    /// <summary>
    /// Yields every entry in archive order. Whiteouts come back with <see cref="LayerEntry.Whiteout"/> set and
    /// the hidden path in <see cref="LayerEntry.Path"/>. Names climbing out of the root are refused
    /// (LAYER_UNSAFE_PATH); the root entry itself (<c>./</c>) is skipped.
    /// </summary>
    public static async IAsyncEnumerable<LayerEntry> EnumerateAsync(Stream blob, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (_, tar) = await LayerStreams.OpenDecompressedAsync(blob, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        await using (tar.ConfigureAwait(false))
        {
            var reader = new LayerTarReader(new BufferedStream(tar, 64 * 1024));
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } h)
            {
                var path = LayerPath.Normalize(h.Name);
                if (path.Length == 0)
                {
                    continue;
                }

                var name = LayerPath.BaseName(path);
                var whiteout = LayerWhiteout.None;
                if (name == LayerPath.OpaqueMarker)
                {
                    whiteout = LayerWhiteout.Opaque;
                    path = LayerPath.Parent(path);
                }
                else if (name.StartsWith(LayerPath.WhiteoutMetaPrefix, StringComparison.Ordinal))
                {
                    // Other .wh..wh. names are AUFS bookkeeping (plnk, orph): not content.
                    continue;
                }
                else if (name.StartsWith(LayerPath.WhiteoutPrefix, StringComparison.Ordinal))
                {
                    whiteout = LayerWhiteout.File;
                    if (name.Length == LayerPath.WhiteoutPrefix.Length)
                    {
                        throw LayerErrors.Unsafe(h.Name, "a whiteout without a name");
                    }

                    path = LayerPath.Join(LayerPath.Parent(path), name[LayerPath.WhiteoutPrefix.Length..]);
                }

                yield return new LayerEntry(path, h.Type, h.Size, h.Mode, h.Uid, h.Gid, h.LinkName, h.MtimeSeconds, whiteout);
            }
        }
    }
}
